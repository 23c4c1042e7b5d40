/**
 * Heap per retained finished execution with empty output (engine only): N × `/bin/true` run to
 * completion and kept in memory (`maxInMemoryExecutions` ≥ N); heap after a full GC before and
 * after, divided by N.
 */
import { CONTENDERS, withEngine } from '../lib/contenders.mjs';
import { runRounds, settledHeapUsed } from '../lib/harness.mjs';
import { absoluteTarget, findRow, rowsFor } from '../lib/results.mjs';

/** @typedef {import('./sequential.mjs').WorkloadOptions} WorkloadOptions */

/** @param {{ quick: boolean }} options */
function size({ quick }) {
  return quick ? 1000 : 10_000;
}

/**
 * Runs `count` × `/bin/true` to completion, keeping no reference to ids or results.
 * @param {any} engine
 * @param {(program: string) => unknown} exec
 * @param {number} count
 * @returns {Promise<number>} how many succeeded
 */
async function runAll(engine, exec, count) {
  const pending = [];
  for (let i = 0; i < count; i++) {
    pending.push(
      engine
        .execute({ command: exec('/bin/true') })
        .then((/** @type {string} */ id) => engine.waitForCompletion(id)),
    );
  }
  let ok = 0;
  for (const result of await Promise.all(pending)) if (result.success) ok++;
  return ok;
}

export default {
  id: 'heap-retained',
  /** @param {WorkloadOptions} options */
  title: (options) =>
    `Heap per retained finished execution (${size(options).toLocaleString('en-US')} × \`/bin/true\`)`,

  /**
   * @param {WorkloadOptions} options
   * @returns {Promise<import('../lib/results.mjs').WorkloadResult>}
   */
  async run(options) {
    const full = size(options);
    const series = await runRounds({
      ...options,
      contenders: [
        {
          name: CONTENDERS.engine,
          measure: (ctx) => {
            const count = ctx.warmup ? Math.ceil(full / 10) : full;
            return withEngine(
              { maxInMemoryExecutions: count, maxQueuedExecutions: count },
              async (engine, { exec }) => {
                const before = await settledHeapUsed();
                const ok = await runAll(engine, exec, count);
                const after = await settledHeapUsed();
                const { retained } = engine.stats();
                if (ok !== count || retained !== count) {
                  throw new Error(`engine: ${ok} of ${count} succeeded, ${retained} retained`);
                }
                return { kbPerExecution: (after - before) / count / 1024 };
              },
            );
          },
        },
      ],
    });
    const rows = rowsFor(this.id, series, {
      key: 'kbPerExecution',
      metric: 'heap per retained finished execution',
      unit: 'KB',
      better: 'lower',
    });
    return {
      id: this.id,
      title: this.title(options),
      rows,
      targets: [
        absoluteTarget(findRow(rows, CONTENDERS.engine), {
          label: 'heap per retained execution',
          description: 'engine heap per retained finished execution (empty output)',
          op: '<=',
          limit: 2,
        }),
      ],
      notes: [
        'All `execute()` first (default concurrency 100), then `waitForCompletion()`; results dropped before',
        'the second measurement so only what the engine retains is counted.',
      ],
    };
  },
};
