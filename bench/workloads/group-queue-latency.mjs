/**
 * `execute()` latency while the queue fills up to N spread over G groups, each request with a
 * priority and a queue deadline (engine only): one slot, held by a long `sleep`, then N ×
 * `/bin/true` queued one `await engine.execute()` at a time. Shows that priorities, groups and
 * deadlines keep the admission path O(log n).
 */
import { CONTENDERS, withEngine } from '../lib/contenders.mjs';
import { runRounds } from '../lib/harness.mjs';
import { queueFillRows, timeQueueFill } from '../lib/queue-fill.mjs';
import { absoluteTarget, findRow } from '../lib/results.mjs';

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
                const figures = await timeQueueFill(engine, exec, COUNT, (i) => ({
                  group: `tenant-${i % GROUPS}`,
                  priority: i % 3,
                  queueTimeoutMs: 3_600_000,
                }));
                const groups = Object.keys(engine.stats().groups).length;
                if (groups !== GROUPS) throw new Error(`expected ${GROUPS} groups with work, got ${groups}`);
                return figures;
              },
            ),
        },
      ],
    });
    const rows = queueFillRows(this.id, series, COUNT);
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
