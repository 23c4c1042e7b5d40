// Another process using the same executions through its own DistributedEngine.
// Usage: node --import tsx distributed-client.ts <port> cancel <id> [reason]
//   prints the value `cancel` resolved with (`true`/`false`), then the final status;
// or:    node --import tsx distributed-client.ts <port> subscribe <id> [afterSeq]
//   prints `subscribed`, then each event as a JSON line (`lines: 'each'`), then `end`.
import { DistributedEngine } from '../src/bullmq/index.js';

const [port, mode, id = '', extra] = process.argv.slice(2);
const engine = new DistributedEngine({ connection: { host: '127.0.0.1', port: Number(port) } });
if (mode === 'cancel') {
  const cancelled = await engine.cancel(id, extra);
  process.stdout.write(`${cancelled}\n${await engine.getStatus(id)}\n`);
} else {
  process.stdout.write('subscribed\n');
  const afterSeq = extra === undefined ? undefined : Number(extra);
  for await (const event of engine.subscribe(id, { afterSeq })) {
    process.stdout.write(
      `${JSON.stringify({ type: event.type, seq: event.seq, line: 'line' in event ? event.line : undefined })}\n`,
    );
  }
  process.stdout.write('end\n');
}
await engine.shutdown();
