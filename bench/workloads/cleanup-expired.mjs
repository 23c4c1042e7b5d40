/**
 * `cleanup()` of N expired executions (engine only). Spawning N processes would take minutes, so
 * the executions end without a process: one slot is held by a long `sleep`, N × `/bin/true` are
 * queued behind it and cancelled (queued cancel is immediate and terminal), then, once the 1 ms
 * retention has passed, one `engine.cleanup()` is timed. It must return N.
 */
import { CONTENDERS, waitForStarts, withEngine } from '../lib/contenders.mjs';
import { fullGc, runRounds, sleep } from '../lib/harness.mjs';
import { absoluteTarget, findRow, rowsFor } from '../lib/results.mjs';

/** @typedef {import('./sequential.mjs').WorkloadOptions} WorkloadOptions */

const FULL = 100_000;

/** @param {{ quick: boolean }} options */
function size({ quick }) {
  return quick ? 20_000 : FULL;
}

export default {
  id: 'cleanup-expired',
  /** @param {WorkloadOptions} options */
  title: (options) => `\`cleanup()\` of ${size(options).toLocaleString('en-US')} expired executions`,

  /**
   * @param {WorkloadOptions} options
   * @returns {Promise<import('../lib/results.mjs').WorkloadResult>}
   */
  async run(options) {
    const count = size(options);
    /** @type {string[]} */
    const problems = [];
    const series = await runRounds({
      ...options,
      contenders: [
        {
          name: CONTENDERS.engine,
          measure: () =>
            withEngine(
              {
                maxConcurrentExecutions: 1,
                maxQueuedExecutions: count,
                maxInMemoryExecutions: count + 10,
                executionRetentionMs: 1,
              },
              async (engine, { exec }) => {
                const started = waitForStarts(engine, 1);
                await engine.execute({ command: exec('sleep', ['3600']) });
                await started.promise;
                const pending = [];
                for (let i = 0; i < count; i++) pending.push(engine.execute({ command: exec('/bin/true') }));
                const ids = await Promise.all(pending);
                const cancelled = await Promise.all(ids.map((id) => engine.cancel(id)));
                if (!cancelled.every(Boolean))
                  throw new Error('engine: a queued execution was not cancelled');
                ids.length = 0;
                await sleep(20);
                fullGc(); // the setup allocated ~100k executions: collect that debt off the clock
                const start = performance.now();
                const removed = engine.cleanup();
                const ms = performance.now() - start;
                if (removed !== count) problems.push(`cleanup() returned ${removed}, expected ${count}`);
                return { ms, usPerExecution: (ms * 1000) / count };
              },
            ),
        },
      ],
    });
    const rows = [
      ...rowsFor(this.id, series, { key: 'ms', metric: 'cleanup() time', unit: 'ms', better: 'lower' }),
      ...rowsFor(this.id, series, {
        key: 'usPerExecution',
        metric: 'cleanup() time per execution',
        unit: 'µs',
        better: 'lower',
      }),
    ];
    const limit = (200 * count) / FULL;
    return {
      id: this.id,
      title: this.title(options),
      rows,
      targets: [
        absoluteTarget(findRow(rows, CONTENDERS.engine, 'cleanup() time'), {
          label: `cleanup() of ${count.toLocaleString('en-US')} expired`,
          description:
            count === FULL
              ? '`cleanup()` of 100,000 expired executions'
              : `\`cleanup()\` of ${count.toLocaleString('en-US')} expired executions (target scaled from 200 ms / 100,000)`,
          op: '<=',
          limit,
          valid: problems.length === 0,
        }),
      ],
      notes: [
        'Config: maxConcurrentExecutions 1, executionRetentionMs 1, enableAutoCleanup false; 20 ms wait and a full',
        'GC before the timed call. The running `sleep` is not terminal and must survive the cleanup.',
        ...[...new Set(problems)],
      ],
    };
  },
};
