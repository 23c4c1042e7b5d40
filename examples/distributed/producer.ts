// A producer: submits executions for two kinds of workers and follows them.
// Start two workers first, in other terminals:
//   REDIS_PORT=6379 npx tsx examples/distributed/worker.ts default
//   REDIS_PORT=6379 npx tsx examples/distributed/worker.ts scanner
// then: REDIS_PORT=6379 npx tsx examples/distributed/producer.ts
import { exec, shell } from 'execution-engine';
import { DistributedEngine } from 'execution-engine/bullmq';

const engine = new DistributedEngine({
  connection: { host: process.env.REDIS_HOST ?? '127.0.0.1', port: Number(process.env.REDIS_PORT ?? 6379) },
});
engine.on('started', (event) => console.log(`${event.executionId.slice(-6)} started on ${event.worker}`));

const scan = await engine.execute({
  command: shell('for port in 22 80 443; do echo "probing $port"; sleep 0.2; done'),
  requires: 'scanner',
});
for await (const event of engine.subscribe(scan)) {
  if (event.type === 'stdout') console.log(`  scan: ${event.line}`);
}
const { stdout } = await engine.run({ command: exec('uname', ['-a']) });
console.log(`default worker: ${stdout}`);
await engine.shutdown();
