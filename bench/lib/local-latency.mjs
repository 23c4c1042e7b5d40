/**
 * The local engine's side of the distributed latency figure, in a fresh process the size of a
 * worker's: a process that has run the other workloads holds a large heap, and spawning from it
 * is slower (the kernel copies its page tables), which would make the local engine look slower
 * than a worker. Runs `/bin/true` <count> times in sequence and prints the median in ms.
 * Usage: node local-latency.mjs <path of dist/index.js> <count>
 */
import { pathToFileURL } from 'node:url';

const [modulePath = '', count = '200'] = process.argv.slice(2);
const { ExecutionEngine, exec } = await import(pathToFileURL(modulePath).href);
const engine = new ExecutionEngine();
const times = [];
for (let i = 0; i < Number(count); i++) {
  const start = performance.now();
  await engine.run({ command: exec('/bin/true') });
  times.push(performance.now() - start);
}
await engine.shutdown();
times.sort((a, b) => a - b);
process.stdout.write(`${times[Math.floor(times.length / 2)]}\n`);
