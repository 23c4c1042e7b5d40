/**
 * `execute()` latency while the queue fills up to N (engine only): one slot, held by a long
 * `sleep`, then N × `/bin/true` queued one `await engine.execute()` at a time.
 */
import { CONTENDERS, waitForStarts, withEngine } from '../lib/contenders.mjs';
import { runRounds } from '../lib/harness.mjs';
import { absoluteTarget, findRow, rowsFor } from '../lib/results.mjs';
import { median, quantile } from '../lib/stats.mjs';

/** @typedef {import('./sequential.mjs').WorkloadOptions} WorkloadOptions */

/** @param {WorkloadOptions} _options */
function size(_options) {
  return 10_000;
}

export default {
  id: 'queue-latency',
  /** @param {WorkloadOptions} options */
  title: (options) => `\`execute()\` latency, ${size(options).toLocaleString('en-US')} queued`,

  /**
   * @param {WorkloadOptions} options
   * @returns {Promise<import('../lib/results.mjs').WorkloadResult>}
   */
  async run(options) {
    const count = size(options);
    const series = await runRounds({
      ...options,
      contenders: [
        {
          name: CONTENDERS.engine,
          measure: () =>
            withEngine(
              { maxConcurrentExecutions: 1, maxQueuedExecutions: count, maxInMemoryExecutions: count + 1 },
              async (engine, { exec }) => {
                const started = waitForStarts(engine, 1);
                await engine.execute({ command: exec('sleep', ['3600']) });
                await started.promise;
                const latencies = new Float64Array(count);
                for (let i = 0; i < count; i++) {
                  const request = { command: exec('/bin/true') };
                  const start = performance.now();
                  await engine.execute(request);
                  latencies[i] = performance.now() - start;
                }
                const all = Array.from(latencies);
                const stats = engine.stats();
                if (stats.queued !== count || stats.running !== 1) {
                  throw new Error(`expected ${count} queued and 1 running, got ${JSON.stringify(stats)}`);
                }
                return {
                  median: median(all),
                  p99: quantile(all, 0.99),
                  lastTenthMedian: median(all.slice(Math.floor(count * 0.9))),
                };
              },
            ),
        },
      ],
    });
    /** @param {string} key @param {string} metric */
    const figure = (key, metric) => rowsFor(this.id, series, { key, metric, unit: 'ms', better: 'lower' });
    const rows = [
      ...figure('median', 'execute() latency, median'),
      ...figure('p99', 'execute() latency, p99'),
      ...figure(
        'lastTenthMedian',
        `execute() latency, median of the last ${(count / 10).toLocaleString('en-US')}`,
      ),
    ];
    return {
      id: this.id,
      title: this.title(options),
      rows,
      targets: [
        absoluteTarget(findRow(rows, CONTENDERS.engine, 'execute() latency, median'), {
          label: 'execute() latency, median',
          description: `engine \`execute()\` median latency with up to ${count.toLocaleString('en-US')} queued`,
          op: '<=',
          limit: 0.2,
        }),
      ],
      notes: [
        'Each round: a fresh engine (maxConcurrentExecutions 1) runs `sleep 3600`; every `/bin/true` is queued',
        'behind it and each `await engine.execute()` is timed; `shutdown()` then cancels the queue.',
        'The "last tenth" figure shows whether `execute()` slows down as the queue grows.',
      ],
    };
  },
};
