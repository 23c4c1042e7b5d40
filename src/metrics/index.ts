import type { ExecutionEngine } from '../engine.js';
import { loadPromClient } from './load-prom-client.js';
import type { MetricsOptions } from './metrics-options.js';
import { registerMetricsWith } from './register-metrics.js';

export type { MetricsOptions } from './metrics-options.js';
export { DEFAULT_DURATION_BUCKETS } from './metrics-options.js';

/** prom-client, loaded when this module is imported: without it the import fails, saying to install it. */
const prom = loadPromClient();

/**
 * Registers the engine's Prometheus metrics (`execution_engine_executions_started_total`,
 * `..._finished_total`, `..._execution_duration_seconds`, `..._queue_wait_seconds`, `..._running`,
 * `..._queued`, `..._output_bytes_total`, `..._output_limit_reached_total`, `..._retries_total`,
 * `..._spawn_failures_total`, `..._recovered_total`, `..._pipelines_finished_total`; see
 * docs/observability.md) in your prom-client
 * `Registry`. The global registry is never used and no default metrics are collected. Labels are
 * `group` (the execution's group, or `none`), `kind` (`shell`, `exec`, `script`, `awsCli`),
 * `status`, `stream`, `strategy` and `classification`: never a per-execution value, so the number
 * of series stays fixed however many executions run. Returns `stop()`, which unregisters every
 * metric it registered and stops listening to the engine.
 * @param options.prefix Put before every metric name. @default 'execution_engine_'
 * @param options.durationBuckets Duration histogram buckets, in seconds. @default [0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600]
 * @throws InvalidConfigError naming `engine`, `registry` (not a Registry, or a metric name already
 * registered there), `prefix` or `durationBuckets`; nothing is registered then.
 * @example
 * ```ts
 * import { Registry } from 'prom-client';
 * import { registerMetrics } from 'execution-engine/metrics';
 *
 * const registry = new Registry();
 * const stop = registerMetrics(engine, { registry });
 * http.createServer(async (req, res) => {
 *   res.setHeader('Content-Type', registry.contentType);
 *   res.end(await registry.metrics());
 * }).listen(9464);
 * // later: stop();
 * ```
 */
export function registerMetrics(
  engine: Pick<ExecutionEngine, 'on' | 'off' | 'stats' | 'getExecution'>,
  options: MetricsOptions,
): () => void {
  return registerMetricsWith(prom, engine, options);
}
