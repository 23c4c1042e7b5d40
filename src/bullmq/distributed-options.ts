import type { RedisOptions } from 'ioredis';
import type { PartialExecutionConfig } from '../config.js';
import { InvalidConfigError } from '../errors.js';
import { describeValue } from '../utils/describe-value.js';
import { checkCapability } from './redis-keys.js';

/** How to reach Redis: ioredis options (`host`, `port`, `password`, `db`, `tls`...). */
export type RedisConnection = Pick<
  RedisOptions,
  'host' | 'port' | 'path' | 'username' | 'password' | 'db' | 'tls' | 'family' | 'connectionName'
>;

/** Options of {@link DistributedEngine}. */
export interface DistributedEngineOptions {
  /** The Redis every engine and worker of the deployment shares. */
  connection: RedisConnection;
  /**
   * The namespace of every key (BullMQ queues, event streams, execution records): engines and
   * workers see each other only under the same prefix.
   * @default 'execution-engine'
   */
  prefix?: string | undefined;
  /**
   * How long a terminal execution (its record and its events) stays in Redis, in ms.
   * @default 86_400_000 (one day)
   */
  retentionMs?: number | undefined;
  /**
   * Entries kept in the engine-wide event stream (`on`, `addEventHandler`), approximately.
   * @default 100_000
   */
  eventStreamLength?: number | undefined;
}

/** Options of {@link startWorker}. */
export interface WorkerOptions extends Omit<DistributedEngineOptions, 'connection'> {
  connection: RedisConnection;
  /**
   * The capabilities this worker offers: it takes the executions whose `requires` names one of
   * them. Without it, the worker takes `'default'` only (executions without `requires`).
   * @default ['default']
   */
  capabilities?: readonly string[] | undefined;
  /** Executions this worker holds at once, per capability. @default 4 */
  concurrency?: number | undefined;
  /**
   * The local engine that runs the commands: limits, groups, `logDir`, output limits... (not
   * `journal`: Redis is the durable record).
   * @default {}
   */
  engine?: Omit<PartialExecutionConfig, 'journal'> | undefined;
  /**
   * How often workers look for executions whose worker stopped renewing its lock (BullMQ's stalled
   * check), in ms. A dead worker's executions end `LOST` (or run again) within about this plus
   * `lockDurationMs`.
   * @default 30_000
   */
  stalledIntervalMs?: number | undefined;
  /** How long a worker's lock on an execution lasts unless renewed (every half of it), in ms. @default 30_000 */
  lockDurationMs?: number | undefined;
}

/** Defaults filled in. */
export interface CheckedOptions {
  connection: RedisConnection;
  prefix: string;
  retentionMs: number;
  eventStreamLength: number;
}

/** Defaults filled in, for a worker. */
export interface CheckedWorkerOptions extends CheckedOptions {
  capabilities: string[];
  concurrency: number;
  engine: Omit<PartialExecutionConfig, 'journal'>;
  stalledIntervalMs: number;
  lockDurationMs: number;
}

function positiveInteger(field: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value === 'number' && Number.isSafeInteger(value) && value > 0) return value;
  throw new InvalidConfigError(
    field,
    `Expected \`${field}\` to be a positive integer, got ${describeValue(value)}`,
  );
}

/** Checks the options shared by engines and workers. @throws InvalidConfigError naming the field. */
export function checkOptions(options: DistributedEngineOptions): CheckedOptions {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidConfigError(
      'options',
      `Expected the options to be an object, got ${describeValue(options)}`,
    );
  }
  const { connection, prefix = 'execution-engine' } = options;
  if (typeof connection !== 'object' || connection === null) {
    throw new InvalidConfigError(
      'connection',
      `Expected \`connection\` to be an object ({ host, port }), got ${describeValue(connection)}`,
    );
  }
  if (typeof prefix !== 'string' || !/^[A-Za-z0-9._-]{1,64}$/.test(prefix)) {
    throw new InvalidConfigError(
      'prefix',
      `Expected \`prefix\` to be 1-64 characters of [A-Za-z0-9._-], got ${describeValue(prefix)}`,
    );
  }
  return {
    connection: { ...connection },
    prefix,
    retentionMs: positiveInteger('retentionMs', options.retentionMs, 86_400_000),
    eventStreamLength: positiveInteger('eventStreamLength', options.eventStreamLength, 100_000),
  };
}

/** Checks a worker's options. @throws InvalidConfigError naming the field. */
export function checkWorkerOptions(options: WorkerOptions): CheckedWorkerOptions {
  const shared = checkOptions(options);
  const { capabilities = ['default'], engine = {} } = options;
  if (!Array.isArray(capabilities) || capabilities.length === 0) {
    throw new InvalidConfigError(
      'capabilities',
      `Expected \`capabilities\` to be a non-empty array of names, got ${describeValue(capabilities)}`,
    );
  }
  capabilities.forEach((name, index) => {
    checkCapability(name, `capabilities[${index}]`, 'config');
  });
  if (typeof engine !== 'object' || engine === null || 'journal' in engine) {
    throw new InvalidConfigError(
      'engine',
      `Expected \`engine\` to be the local engine's configuration without \`journal\`, got ${describeValue(engine)}`,
    );
  }
  return {
    ...shared,
    capabilities: [...new Set(capabilities)],
    concurrency: positiveInteger('concurrency', options.concurrency, 4),
    engine,
    stalledIntervalMs: positiveInteger('stalledIntervalMs', options.stalledIntervalMs, 30_000),
    lockDurationMs: positiveInteger('lockDurationMs', options.lockDurationMs, 30_000),
  };
}
