// A host of the keep-alive tests: it never keeps Node alive once nothing is under way.
// Usage: node --import tsx distributed-idle.ts <port> <mode>
//   idle: stores an execution no worker takes, adds a listener, reads its status, prints `idle`;
//   run:  runs `echo done` on a worker (the wait keeps the process alive), prints its stdout, then
//         shuts the engine down and prints `closed`.
import { DistributedEngine } from '../src/bullmq/index.js';
import { exec } from '../src/index.js';

const [port, mode] = process.argv.slice(2);
const engine = new DistributedEngine({ connection: { host: '127.0.0.1', port: Number(port) } });
if (mode === 'idle') {
  engine.on('completed', () => {});
  const id = await engine.execute({ command: exec('true'), requires: 'nobody' });
  await engine.getStatus(id);
  process.stdout.write('idle\n');
} else {
  const result = await engine.run({ command: exec('echo', ['done']) });
  process.stdout.write(`${result.stdout}\n`);
  await engine.shutdown();
  process.stdout.write('closed\n');
}
