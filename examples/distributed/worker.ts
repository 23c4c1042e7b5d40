// A worker: runs the executions whose `requires` is one of its capabilities.
// Usage: REDIS_PORT=6379 npx tsx examples/distributed/worker.ts default,nmap
import { startWorker } from 'execution-engine/bullmq';

const capabilities = (process.argv[2] ?? 'default').split(',');
const worker = await startWorker({
  connection: { host: process.env.REDIS_HOST ?? '127.0.0.1', port: Number(process.env.REDIS_PORT ?? 6379) },
  capabilities,
  concurrency: 4,
});
console.log(`worker ${worker.id} takes ${capabilities.join(', ')}`);
// `on`, not `once`: the handler must still be listening while the worker closes.
process.on('SIGTERM', () => void worker.close({ graceMs: 10_000 }).then(() => process.exit(0)));
process.on('SIGINT', () => void worker.close({ graceMs: 0 }).then(() => process.exit(0)));
