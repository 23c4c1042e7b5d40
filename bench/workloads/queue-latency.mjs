/**
 * `execute()` latency while the queue fills up to N (engine only): one slot, held by a long
 * `sleep`, then N × `/bin/true` queued one `await engine.execute()` at a time.
 */
import { CONTENDERS, withEngine } from '../lib/contenders.mjs';
import { runRounds } from '../lib/harness.mjs';
import { queueFillRows, timeQueueFill } from '../lib/queue-fill.mjs';
import { absoluteTarget, findRow } from '../lib/results.mjs';

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
              (engine, { exec }) => timeQueueFill(engine, exec, count),
            ),
        },
      ],
    });
    const rows = queueFillRows(this.id, series, count);
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
