import { InvalidConfigError } from '../errors.js';
import { describeValue } from '../utils/describe-value.js';
import type { PromClient } from './load-prom-client.js';

/** Options of `registerMetrics`. */
export interface MetricsOptions {
  /**
   * The prom-client `Registry` to register the metrics in. Required: the library never uses
   * prom-client's global registry, and never collects default (process) metrics.
   */
  registry: import('prom-client').Registry;
  /** Put before every metric name. @default 'execution_engine_' */
  prefix?: string | undefined;
  /**
   * Upper bounds (seconds) of the `execution_duration_seconds` histogram's buckets, increasing.
   * @default [0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600]
   */
  durationBuckets?: readonly number[] | undefined;
}

/** The default duration buckets, in seconds: from a tenth of a second to an hour. */
export const DEFAULT_DURATION_BUCKETS: readonly number[] = [0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600];

/** Prometheus metric names: `[a-zA-Z_:][a-zA-Z0-9_:]*` (a prefix may be empty). */
const NAME_CHARS = /^(?:[a-zA-Z_:][a-zA-Z0-9_:]*)?$/;

/** Options checked, defaults applied. */
export interface CheckedMetricsOptions {
  registry: import('prom-client').Registry;
  prefix: string;
  durationBuckets: number[];
}

const fail = (key: string, expected: string, value: unknown) =>
  new InvalidConfigError(key, `Expected \`${key}\` to be ${expected}, got ${describeValue(value)}`);

/** @throws InvalidConfigError naming `registry`, `prefix` or `durationBuckets`. */
export function checkMetricsOptions(options: unknown, prom: PromClient): CheckedMetricsOptions {
  if (typeof options !== 'object' || options === null) throw fail('options', 'an object', options);
  const { registry, prefix = 'execution_engine_', durationBuckets } = options as Partial<MetricsOptions>;
  // Another copy of prom-client (a different install) has its own class: judge by the methods used.
  const methods = registry as Partial<Record<string, unknown>> | null | undefined;
  const looksLikeRegistry =
    registry instanceof prom.Registry ||
    (typeof methods === 'object' &&
      methods !== null &&
      typeof methods.registerMetric === 'function' &&
      typeof methods.removeSingleMetric === 'function' &&
      typeof methods.getSingleMetric === 'function');
  if (!looksLikeRegistry || registry === undefined) {
    throw fail('registry', 'a prom-client Registry (`new Registry()`)', registry);
  }
  if (typeof prefix !== 'string' || !NAME_CHARS.test(prefix)) {
    throw fail('prefix', 'a Prometheus name prefix (`[a-zA-Z_:][a-zA-Z0-9_:]*`)', prefix);
  }
  let buckets = [...DEFAULT_DURATION_BUCKETS];
  if (durationBuckets !== undefined) {
    const increasing =
      Array.isArray(durationBuckets) &&
      durationBuckets.length > 0 &&
      durationBuckets.every(
        (bound, i) =>
          typeof bound === 'number' && Number.isFinite(bound) && bound > (durationBuckets[i - 1] ?? 0),
      );
    if (!increasing)
      throw fail('durationBuckets', 'a non-empty array of increasing positive numbers', durationBuckets);
    buckets = [...durationBuckets];
  }
  return { registry, prefix, durationBuckets: buckets };
}
