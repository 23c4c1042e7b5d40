#!/usr/bin/env node
// Usage: node --expose-gc --import tsx memory-probe.js <strategy> <lines> <width> <limitBytes> [subscribe]
// Runs `print-lines.js <lines> stdout <width>` through an engine with the given
// oversizedOutputStrategy and maxOutputSizeBytes, counting line events as a streaming UI would
// (with `subscribe`, also reading every event through `engine.subscribe` during the run), and
// measures the heap after gc: sampled during the run and once more at the end (with the
// result still retained). Removes the execution (and so its overflow file) before it prints
// `{ status, errorCode, lineEvents, subscribed, stdoutBytes, overflowBytes, overflowRemoved, peakGrowth, endGrowth }`.
import { existsSync, statSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { ExecutionEngine, exec } from '../src/index.ts';

const [strategy, lines, width, limit, mode] = process.argv.slice(2);
const printLines = new URL('print-lines.js', import.meta.url).pathname;
const gc = globalThis.gc;
if (gc === undefined) throw new Error('Run with --expose-gc');

const heap = () => {
  gc();
  return process.memoryUsage().heapUsed;
};

const engine = new ExecutionEngine({
  enableAutoCleanup: false,
  killGraceMs: 300,
  maxOutputSizeBytes: Number(limit),
  oversizedOutputStrategy: strategy,
});
let lineEvents = 0;
engine.on('stdout', () => {
  lineEvents++;
});
const before = heap();
let peak = 0;
const sampler = setInterval(() => {
  peak = Math.max(peak, heap() - before);
}, 100);
const id = await engine.execute({ command: exec(process.execPath, [printLines, lines, 'stdout', width]) });
let subscribed = 0;
const subscription =
  mode === 'subscribe'
    ? (async () => {
        for await (const _event of engine.subscribe(id)) subscribed++;
      })()
    : undefined;
const result = await engine.waitForCompletion(id);
await subscription;
clearInterval(sampler);
const endGrowth = heap() - before;
const overflow = result.stdoutOverflowFile;
const overflowBytes = overflow === undefined ? 0 : statSync(overflow).size;
engine.removeExecution(id);
let overflowRemoved = true;
if (overflow !== undefined) {
  for (let i = 0; i < 100 && existsSync(overflow); i++) await sleep(20);
  overflowRemoved = !existsSync(overflow);
}
await engine.shutdown();
process.stdout.write(
  `${JSON.stringify({
    status: result.status,
    errorCode: result.error?.code,
    lineEvents,
    subscribed,
    stdoutBytes: Buffer.byteLength(result.stdout),
    overflowBytes,
    overflowRemoved,
    peakGrowth: Math.max(peak, endGrowth),
    endGrowth,
  })}\n`,
);
