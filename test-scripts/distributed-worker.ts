// A worker process of the distributed tests.
// Usage: node --import tsx distributed-worker.ts '<JSON of startWorker options>'
// Prints `ready <worker id>` once it listens; on SIGTERM closes (graceMs: the options' `graceMs`, else 0)
// and prints `closed`.
import { startWorker } from '../src/bullmq/index.js';

const { graceMs, ...options } = JSON.parse(process.argv[2] ?? '{}');
const worker = await startWorker(options);
process.stdout.write(`ready ${worker.id}\n`);
// `on`, not `once`: while the handler runs it must still be listening, or the local engine's exit hook
// (signal-exit) would take the signal for one nobody handles and end the process.
process.on('SIGTERM', () => {
  void worker.close({ graceMs: graceMs ?? 0 }).then(() => {
    process.stdout.write('closed\n');
    process.exit(0);
  });
});
