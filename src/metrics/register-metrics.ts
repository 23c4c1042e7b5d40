import type { ExecutionEngine } from '../engine.js';
import { InvalidConfigError } from '../errors.js';
import type { EngineEvents, RetryingEvent, StartedEvent, TerminalEvent } from '../events/event-types.js';
import { isFinalEvent } from '../pipeline/pipeline-events.js';
import type { ExecutionSnapshot } from '../types.js';
import { describeValue } from '../utils/describe-value.js';
import type { PromClient } from './load-prom-client.js';
import { createMetricSet, METRIC_NAMES, type MetricSet } from './metric-set.js';
import { checkMetricsOptions, type MetricsOptions } from './metrics-options.js';

/** The label of executions without a group. */
const NO_GROUP = 'none';
const TERMINAL = ['completed', 'failed', 'timeout', 'cancelled'] as const;

/** The labels of a live execution, kept from its start to its end. */
interface Labels {
  group: string;
  kind: string;
}

type AnyEngine = Pick<ExecutionEngine, 'on' | 'off' | 'stats' | 'getExecution'>;

/**
 * Registers the engine's metrics in `options.registry` (see `docs/observability.md`) and returns
 * the function that removes them again and stops listening. Labels never take a per-execution
 * value: ids, arguments and exit codes never become series.
 * @throws InvalidConfigError naming `engine`, `registry` (not a Registry, or a name already taken
 * there), `prefix` or `durationBuckets`; nothing is registered then.
 */
export function registerMetricsWith(
  prom: PromClient,
  engine: AnyEngine,
  options: MetricsOptions,
): () => void {
  if (typeof engine?.on !== 'function' || typeof engine.stats !== 'function') {
    throw new InvalidConfigError(
      'engine',
      `Expected \`engine\` to be an ExecutionEngine, got ${describeValue(engine)}`,
    );
  }
  const { registry, prefix, durationBuckets } = checkMetricsOptions(options, prom);
  const taken = METRIC_NAMES.map((name) => `${prefix}${name}`).find((name) => registry.getSingleMetric(name));
  if (taken !== undefined) {
    throw new InvalidConfigError(
      'registry',
      `Expected \`registry\` to have no metric \`${taken}\` yet, but it has one`,
    );
  }
  // What the output bytes counter has reached: the engine's totals when it was last collected.
  const counted = { stdout: 0, stderr: 0 };
  const metrics = createMetricSet(prom, registry, prefix, durationBuckets, {
    live(gauge, which) {
      const { groups, [which]: total } = engine.stats();
      gauge.reset();
      let grouped = 0;
      for (const [group, counts] of Object.entries(groups)) {
        gauge.set({ group }, counts[which]);
        grouped += counts[which];
      }
      gauge.set({ group: NO_GROUP }, total - grouped);
    },
    outputBytes(counter) {
      const { outputBytes } = engine.stats();
      for (const stream of ['stdout', 'stderr'] as const) {
        counter.inc({ stream }, outputBytes[stream] - counted[stream]);
        counted[stream] = outputBytes[stream];
      }
    },
  });
  const stopListening = listen(engine, metrics);
  return () => {
    stopListening();
    for (const name of METRIC_NAMES) registry.removeSingleMetric(`${prefix}${name}`);
  };
}

/** Subscribes the event-driven metrics; returns the function that unsubscribes them. */
function listen(engine: AnyEngine, metrics: MetricSet): () => void {
  /** Labels of executions that started and have not ended; bounded by the live executions. */
  const live = new Map<string, Labels>();
  /** When executions waiting for a retry are handed back to admission, in epoch ms. */
  const retryAt = new Map<string, number>();
  const labelsOf = (id: string): Labels => live.get(id) ?? labelsFrom(safeSnapshot(engine, id));
  const onStarted = (event: StartedEvent) => {
    const id = event.executionId;
    if (event.attempt === 1) {
      const snapshot = safeSnapshot(engine, id);
      const labels = labelsFrom(snapshot);
      live.set(id, labels);
      metrics.started.inc(labels);
      if (snapshot !== undefined) {
        const waited = (event.timestamp - snapshot.createdAt.getTime()) / 1000;
        metrics.queueWait.observe({ group: labels.group }, Math.max(0, waited));
      }
    } else {
      const labels = labelsOf(id);
      live.set(id, labels);
      const readyAt = retryAt.get(id);
      retryAt.delete(id);
      if (readyAt !== undefined) {
        metrics.queueWait.observe({ group: labels.group }, Math.max(0, event.timestamp - readyAt) / 1000);
      }
    }
  };
  const onRetrying = (event: RetryingEvent) => {
    metrics.retries.inc({ group: labelsOf(event.executionId).group });
    retryAt.set(event.executionId, event.timestamp + event.delayMs);
  };
  const onTerminal = (event: TerminalEvent) => {
    const { result } = event;
    live.delete(event.executionId);
    retryAt.delete(event.executionId);
    const labels = {
      status: result.status,
      group: result.group ?? NO_GROUP,
      kind: result.commandType ?? 'exec',
    };
    metrics.finished.inc(labels);
    if (result.startedAt !== undefined) metrics.duration.observe(labels, result.durationMs / 1000);
    if (result.error?.code === 'SPAWN_FAILED') metrics.spawnFailures.inc();
  };
  const handlers: { [K in keyof EngineEvents]?: EngineEvents[K] } = {
    started: onStarted,
    retrying: onRetrying,
    outputTruncated: (event) => metrics.outputLimit.inc({ strategy: event.strategy }),
    recovered: (event) => metrics.recovered.inc({ classification: event.classification }),
    pipeline: (event) => {
      if (isFinalEvent(event)) metrics.pipelinesFinished.inc({ status: event.status });
    },
  };
  for (const status of TERMINAL) (handlers as Record<string, unknown>)[status] = onTerminal;
  const on = engine.on.bind(engine) as (type: string, listener: unknown) => void;
  const off = engine.off.bind(engine) as (type: string, listener: unknown) => void;
  for (const [type, listener] of Object.entries(handlers)) on(type, listener);
  return () => {
    for (const [type, listener] of Object.entries(handlers)) off(type, listener);
    live.clear();
    retryAt.clear();
  };
}

/** The labels of an execution; `exec` for one gone before it could be looked up (never in practice). */
function labelsFrom(snapshot: ExecutionSnapshot | undefined): Labels {
  return { group: snapshot?.group ?? NO_GROUP, kind: snapshot?.commandType ?? 'exec' };
}

/** The snapshot of `id`, or `undefined` if it is no longer retained. */
function safeSnapshot(engine: AnyEngine, id: string): ExecutionSnapshot | undefined {
  try {
    return engine.getExecution(id);
  } catch {
    return undefined;
  }
}
