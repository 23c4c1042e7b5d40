/**
 * The `execute()` latency workloads' shared part: one slot held by a long `sleep`, then `count`
 * requests queued one `await engine.execute()` at a time, each timed.
 */
import { waitForStarts } from './contenders.mjs';
import { rowsFor } from './results.mjs';
import { median, quantile } from './stats.mjs';

/**
 * Fills the queue of `engine` (configured with one slot) and times every `execute()`.
 * @param {any} engine
 * @param {any} exec
 * @param {number} count
 * @param {(i: number) => Record<string, unknown>} [extra] fields added to request `i`
 * @returns {Promise<{ median: number, p99: number, lastTenthMedian: number }>}
 */
export async function timeQueueFill(engine, exec, count, extra = () => ({})) {
  const started = waitForStarts(engine, 1);
  await engine.execute({ command: exec('sleep', ['3600']) });
  await started.promise;
  const latencies = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const request = { command: exec('/bin/true'), ...extra(i) };
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
}

/**
 * The rows of a queue-fill workload: median, p99 and the median of the last tenth, in ms.
 * @param {string} id
 * @param {import('./harness.mjs').Series} series
 * @param {number} count
 */
export function queueFillRows(id, series, count) {
  /** @param {string} key @param {string} metric */
  const figure = (key, metric) => rowsFor(id, series, { key, metric, unit: 'ms', better: 'lower' });
  return [
    ...figure('median', 'execute() latency, median'),
    ...figure('p99', 'execute() latency, p99'),
    ...figure(
      'lastTenthMedian',
      `execute() latency, median of the last ${(count / 10).toLocaleString('en-US')}`,
    ),
  ];
}
