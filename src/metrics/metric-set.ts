import type { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { PromClient } from './load-prom-client.js';

/** Queue wait buckets, in seconds: from a millisecond to five minutes. */
const QUEUE_WAIT_BUCKETS = [0.001, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300];

/** Every metric of `registerMetrics`, by its name without the prefix. */
export interface MetricSet {
  started: Counter<'group' | 'kind'>;
  finished: Counter<'status' | 'group' | 'kind'>;
  duration: Histogram<'status' | 'group' | 'kind'>;
  queueWait: Histogram<'group'>;
  running: Gauge<'group'>;
  queued: Gauge<'group'>;
  outputBytes: Counter<'stream'>;
  outputLimit: Counter<'strategy'>;
  retries: Counter<'group'>;
  spawnFailures: Counter;
  recovered: Counter<'classification'>;
  pipelinesFinished: Counter<'status'>;
}

/** What the collect-time metrics read when scraped. */
export interface Collectors {
  /** Sets the `running` or `queued` gauge (by group) from the engine's live counts. */
  live(gauge: Gauge<'group'>, which: 'running' | 'queued'): void;
  /** Brings the output bytes counter up to the engine's total. */
  outputBytes(counter: Counter<'stream'>): void;
}

/** Creates the metrics in `registry`, names prefixed with `prefix`. The caller checked no name is taken. */
export function createMetricSet(
  prom: PromClient,
  registry: Registry,
  prefix: string,
  durationBuckets: number[],
  collectors: Collectors,
): MetricSet {
  const registers = [registry];
  const name = (suffix: string) => `${prefix}${suffix}`;
  return {
    started: new prom.Counter({
      name: name('executions_started_total'),
      help: 'Executions whose first process started, by group and command kind.',
      labelNames: ['group', 'kind'],
      registers,
    }),
    finished: new prom.Counter({
      name: name('executions_finished_total'),
      help: 'Executions that ended, by terminal status, group and command kind.',
      labelNames: ['status', 'group', 'kind'],
      registers,
    }),
    duration: new prom.Histogram({
      name: name('execution_duration_seconds'),
      help: 'From the first start to the end of executions that started, by terminal status, group and kind.',
      labelNames: ['status', 'group', 'kind'],
      buckets: durationBuckets,
      registers,
    }),
    queueWait: new prom.Histogram({
      name: name('queue_wait_seconds'),
      help: 'Time from submission (or the end of a retry delay) to the start of a process, by group.',
      labelNames: ['group'],
      buckets: QUEUE_WAIT_BUCKETS,
      registers,
    }),
    running: new prom.Gauge({
      name: name('running'),
      help: 'Executions whose process runs now, by group (`none`: no group).',
      labelNames: ['group'],
      registers,
      collect() {
        collectors.live(this, 'running');
      },
    }),
    queued: new prom.Gauge({
      name: name('queued'),
      help: 'Executions waiting for a slot or a retry now, by group (`none`: no group).',
      labelNames: ['group'],
      registers,
      collect() {
        collectors.live(this, 'queued');
      },
    }),
    outputBytes: new prom.Counter({
      name: name('output_bytes_total'),
      help: "Bytes read from the processes' stdout and stderr, by stream.",
      labelNames: ['stream'],
      registers,
      collect() {
        collectors.outputBytes(this);
      },
    }),
    outputLimit: new prom.Counter({
      name: name('output_limit_reached_total'),
      help: 'Executions whose output passed maxOutputSizeBytes, by oversizedOutputStrategy.',
      labelNames: ['strategy'],
      registers,
    }),
    retries: new prom.Counter({
      name: name('retries_total'),
      help: 'Failed attempts that are retried, by group.',
      labelNames: ['group'],
      registers,
    }),
    spawnFailures: new prom.Counter({
      name: name('spawn_failures_total'),
      help: 'Executions whose process could not be started (SPAWN_FAILED).',
      registers,
    }),
    recovered: new prom.Counter({
      name: name('recovered_total'),
      help: "A previous host's executions found in the journal, by what became of them.",
      labelNames: ['classification'],
      registers,
    }),
    pipelinesFinished: new prom.Counter({
      name: name('pipelines_finished_total'),
      help: 'Pipelines that ended, by status (completed, failed, cancelled).',
      labelNames: ['status'],
      registers,
    }),
  };
}

/** The names `createMetricSet` registers, for checking none is taken and for removing them. */
export const METRIC_NAMES = [
  'executions_started_total',
  'executions_finished_total',
  'execution_duration_seconds',
  'queue_wait_seconds',
  'running',
  'queued',
  'output_bytes_total',
  'output_limit_reached_total',
  'retries_total',
  'spawn_failures_total',
  'recovered_total',
  'pipelines_finished_total',
] as const;
