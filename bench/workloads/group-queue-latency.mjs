/**
 * `execute()` latency while the queue fills up to N spread over G groups, each request with a
 * priority and a queue deadline (engine only): one slot, held by a long `sleep`, then N ×
 * `/bin/true` queued one `await engine.execute()` at a time. Shows that priorities, groups and
 * deadlines keep the admission path O(log n).
 */
import { CONTENDERS, waitForStarts, withEngine } from '../lib/contenders.mjs';
import { runRounds } from '../lib/harness.mjs';
import { absoluteTarget, findRow, rowsFor } from '../lib/results.mjs';
import { median, quantile } from '../lib/stats.mjs';

/** @typedef {import('./sequential.mjs').WorkloadOptions} WorkloadOptions */

const COUNT = 10_000;
const GROUPS = 1000;

export default {
  id: 'group-queue-latency',
  title: () =>
    `\`execute()\` latency, ${COUNT.toLocaleString('en-US')} queued in ${GROUPS.toLocaleString('en-US')} groups`,

  /**
   * @param {WorkloadOptions} options
   * @returns {Promise<import('../lib/results.mjs').WorkloadResult>}
   */
  async run(options) {
    const series = await runRounds({
      ...options,
      contenders: [
        {
          name: CONTENDERS.engine,
          measure: () =>
            withEngine(
              {
                maxConcurrentExecutions: 1,
                maxQueuedExecutions: COUNT,
                maxInMemoryExecutions: COUNT + 1,
                defaultGroupLimits: { maxConcurrent: 2 },
              },
              async (engine, { exec }) => {
                const started = waitForStarts(engine, 1);
                await engine.execute({ command: exec('sleep', ['3600']) });
                await started.promise;
                const latencies = new Float64Array(COUNT);
                for (let i = 0; i < COUNT; i++) {
                  const request = {
                    command: exec('/bin/true'),
                    group: `tenant-${i % GROUPS}`,
                    priority: i % 3,
                    queueTimeoutMs: 3_600_000,
                  };
                  const start = performance.now();
                  await engine.execute(request);
                  latencies[i] = performance.now() - start;
                }
                const all = Array.from(latencies);
                const stats = engine.stats();
                const groups = Object.keys(stats.groups).length;
                if (stats.queued !== COUNT || stats.running !== 1 || groups !== GROUPS) {
                  throw new Error(
                    `expected ${COUNT} queued in ${GROUPS} groups, got ${JSON.stringify({ ...stats, groups })}`,
                  );
                }
                return {
                  median: median(all),
                  p99: quantile(all, 0.99),
                  lastTenthMedian: median(all.slice(Math.floor(COUNT * 0.9))),
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
        `execute() latency, median of the last ${(COUNT / 10).toLocaleString('en-US')}`,
      ),
    ];
    return {
      id: this.id,
      title: this.title(),
      rows,
      targets: [
        absoluteTarget(findRow(rows, CONTENDERS.engine, 'execute() latency, median'), {
          label: 'execute() latency, median',
          description: `engine \`execute()\` median latency with up to ${COUNT.toLocaleString('en-US')} queued in ${GROUPS.toLocaleString('en-US')} groups`,
          op: '<=',
          limit: 0.02,
        }),
      ],
      notes: [
        'Each round: a fresh engine (maxConcurrentExecutions 1, defaultGroupLimits.maxConcurrent 2) runs',
        '`sleep 3600`; every `/bin/true` is queued behind it with a group (1,000 of them), a priority (0 to 2)',
        'and a queueTimeoutMs, and each `await engine.execute()` is timed; `shutdown()` then cancels the queue.',
      ],
    };
  },
};
