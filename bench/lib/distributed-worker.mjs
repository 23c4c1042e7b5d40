/**
 * A worker process of the distributed workload: `startWorker` from the built
 * `execution-engine/bullmq` (beside the engine module), options as JSON in argv[3]. Prints `ready`
 * once it listens; SIGTERM closes it.
 * Usage: node distributed-worker.mjs <path of dist/bullmq.js> '<JSON options>'
 */
import { pathToFileURL } from 'node:url';

const [modulePath = '', json = '{}'] = process.argv.slice(2);
const { startWorker } = await import(pathToFileURL(modulePath).href);
const worker = await startWorker(JSON.parse(json));
process.stdout.write('ready\n');
process.on('SIGTERM', () => {
  void worker.close({ graceMs: 0 }).then(() => process.exit(0));
});
