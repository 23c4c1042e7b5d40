/**
 * Heap per retained finished execution, retried or not (engine only): N × `/bin/false` with empty
 * output, once as a fresh execution (one attempt) and once with `retry: { attempts: 3 }` (three
 * attempts, no delay), each run to completion and kept in memory; heap after a full GC before and
 * after, divided by N. Shows what each extra attempt costs once the execution has finished.
 */
import { withEngine } from '../lib/contenders.mjs';
import { runRounds, settledHeapUsed } from '../lib/harness.mjs';
import { rowsFor } from '../lib/results.mjs';

/** @typedef {import('./sequential.mjs').WorkloadOptions} WorkloadOptions */

const FRESH = 'engine, fresh (1 attempt)';
const RETRIED = 'engine, retried (3 attempts)';
const ATTEMPTS = 3;

/** @param {{ quick: boolean }} options */
function size({ quick }) {
  return quick ? 1000 : 2000;
}

/**
 * Runs `count` × `/bin/false` to completion (with `retry` when given), keeping no reference to ids
 * or results; returns how many executions' worth of attempts ran.
 * @param {any} engine
 * @param {(program: string) => unknown} exec
 * @param {number} count
 * @param {object | undefined} retry
 * @returns {Promise<number>}
 */
async function runAll(engine, exec, count, retry) {
  // Attempts counted from `started` events: reading `result.attempts` would build (and keep) them.
  let starts = 0;
  const onStarted = () => starts++;
  engine.on('started', onStarted);
  const pending = [];
  for (let i = 0; i < count; i++) {
    const request =
      retry === undefined ? { command: exec('/bin/false') } : { command: exec('/bin/false'), retry };
    pending.push(engine.execute(request).then((/** @type {string} */ id) => engine.waitForCompletion(id)));
  }
  await Promise.all(pending);
  engine.off('started', onStarted);
  return starts / (retry === undefined ? 1 : ATTEMPTS);
}

/**
 * @param {number} full
 * @param {object | undefined} retry
 */
function contender(full, retry) {
  /** @param {{ warmup: boolean }} ctx */
  return (ctx) => {
    const count = ctx.warmup ? Math.ceil(full / 10) : full;
    return withEngine(
      { maxInMemoryExecutions: count, maxQueuedExecutions: count },
      async (engine, { exec }) => {
        const before = await settledHeapUsed();
        const ok = await runAll(engine, exec, count, retry);
        const after = await settledHeapUsed();
        const { retained } = engine.stats();
        if (ok !== count || retained !== count) {
          throw new Error(`engine: ${ok} of ${count} made their attempts, ${retained} retained`);
        }
        return { kbPerExecution: (after - before) / count / 1024 };
      },
    );
  };
}

export default {
  id: 'heap-retained-retry',
  /** @param {WorkloadOptions} options */
  title: (options) =>
    `Heap per retained retried execution (${size(options).toLocaleString('en-US')} × \`/bin/false\`, ${ATTEMPTS} attempts vs 1)`,

  /**
   * @param {WorkloadOptions} options
   * @returns {Promise<import('../lib/results.mjs').WorkloadResult>}
   */
  async run(options) {
    const full = size(options);
    const retry = { attempts: ATTEMPTS, delayMs: 0, jitter: false };
    const series = await runRounds({
      ...options,
      contenders: [
        { name: FRESH, measure: contender(full, undefined) },
        { name: RETRIED, measure: contender(full, retry) },
      ],
    });
    const rows = rowsFor(this.id, series, {
      key: 'kbPerExecution',
      metric: 'heap per retained finished execution',
      unit: 'KB',
      better: 'lower',
      baseline: FRESH,
    });
    return {
      id: this.id,
      title: this.title(options),
      rows,
      // No limit: the events replay needs (each retry's `started` and `retrying`) are kept by design.
      targets: [],
      notes: [
        'Each extra attempt keeps a small record (pid, times, exit code, signal, status) and the two events',
        'replay needs (`started`, `retrying`); no copy of its output. The retry policy is dropped at the end.',
        'An attempt with output keeps that output for replay (once, as bytes), like the last attempt.',
      ],
    };
  },
};
