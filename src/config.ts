import { checkGroupLimits, checkGroups, type GroupLimits } from './arguments/group-limits.js';
import { InvalidConfigError } from './errors.js';
import type { JournalOption } from './journal/journal-types.js';
import { describeValue } from './utils/describe-value.js';
import { isSignalName } from './utils/signal-name.js';

/** What happens when an execution's output passes `maxOutputSizeBytes`. */
export type OversizedOutputStrategy = 'truncateWithWarning' | 'failExecution' | 'streamToFile';

/** What `execute` does when `maxConcurrentExecutions` are running. */
export type ConcurrencyLimitBehavior = 'queue' | 'reject';

/** Engine configuration. Every key is optional in the constructor; durations are milliseconds. */
export interface ExecutionConfig {
  /**
   * Timeout when a request gives none. Counts from the spawn, never while queued. Must not exceed
   * `maxTimeoutMs`; 0 means no timeout, allowed only with `maxTimeoutMs: Infinity`.
   * @default 300000
   */
  defaultTimeoutMs: number;
  /**
   * Largest timeout a request may ask for. `Infinity` lifts the cap and allows `timeoutMs: 0`
   * (no timeout: a dev server, a watcher).
   * @default 3600000
   */
  maxTimeoutMs: number;
  /** Emit a `stdout`/`stderr` event per line; false: output is only collected. @default true */
  streamOutput: boolean;
  /** When set (created if missing), full stdout/stderr also go to `<logDir>/<id>.stdout.log` / `.stderr.log`. @default undefined */
  logDir: string | undefined;
  /** Executions in status `running` at once. @default 100 */
  maxConcurrentExecutions: number;
  /** `'queue'`: wait for a slot; `'reject'`: `execute` rejects with `ConcurrencyLimitReachedError`. @default 'queue' */
  onConcurrencyLimit: ConcurrencyLimitBehavior;
  /** Queue length beyond which `execute` rejects with `ConcurrencyLimitReachedError`. @default 10000 */
  maxQueuedExecutions: number;
  /** Minimum gap between two process starts. @default 0 */
  minStartIntervalMs: number;
  /** Retained terminal executions beyond this are removed, oldest first. @default 1000 */
  maxInMemoryExecutions: number;
  /** Terminal executions older than this are removed by cleanup. @default 3600000 */
  executionRetentionMs: number;
  /** Run `cleanup()` every `cleanupIntervalMs` on an unref'd timer. @default true */
  enableAutoCleanup: boolean;
  /** @default 60000 */
  cleanupIntervalMs: number;
  /** Per execution, stdout and stderr together, in bytes as received. @default 10485760 */
  maxOutputSizeBytes: number;
  /** @default 'truncateWithWarning' */
  oversizedOutputStrategy: OversizedOutputStrategy;
  /** First signal sent to the process group on timeout, cancel and shutdown. @default 'SIGTERM' */
  killSignal: NodeJS.Signals;
  /** Then SIGKILL to the whole group after this long. @default 5000 */
  killGraceMs: number;
  /** Kill running process groups when the Node process exits. @default true */
  killOnExit: boolean;
  /**
   * Durable journal: `{ dir }` for the built-in file journal, or your own `ExecutionJournal`.
   * Executions then survive the host crashing and are recovered by the next engine. @default undefined
   */
  journal: JournalOption | undefined;
  /** On recovery, run again executions that were still queued when the host died; false: cancel them. @default true */
  requeueOnRecover: boolean;
  /**
   * Least time between two `progress` events of one execution (requests with `progress`): the
   * first update goes out at once, later ones at most this often, the latest always before the
   * terminal event. 0: every update. A non-negative finite number.
   * @default 100
   * @example
   * ```ts
   * const engine = new ExecutionEngine({ progressIntervalMs: 1000 }); // one progress event a second
   * ```
   */
  progressIntervalMs: number;
  /**
   * Limits of named groups (a request's `group`): `maxConcurrent` caps the group's running
   * executions under `maxConcurrentExecutions`, `minStartIntervalMs` paces its starts. Names follow
   * the id rule. A group at its cap never holds up the others. See docs/admission.md.
   * @default undefined
   * @example
   * ```ts
   * new ExecutionEngine({ groups: { 'tenant-a': { maxConcurrent: 2 }, api: { minStartIntervalMs: 1000 } } });
   * ```
   */
  groups: Readonly<Record<string, Readonly<GroupLimits>>> | undefined;
  /**
   * Limits of every group not listed in `groups` (no limits of their own when unset).
   * @default undefined
   * @example
   * ```ts
   * new ExecutionEngine({ defaultGroupLimits: { maxConcurrent: 1 } }); // one at a time per tenant
   * ```
   */
  defaultGroupLimits: Readonly<GroupLimits> | undefined;
}

/**
 * What the engine's constructor takes: any subset of {@link ExecutionConfig}. A key set to
 * `undefined` means the same as leaving it out (the default applies), so maybe-undefined values
 * compile under `exactOptionalPropertyTypes`.
 */
export type PartialExecutionConfig = { [K in keyof ExecutionConfig]?: ExecutionConfig[K] | undefined };

/** The defaults of every {@link ExecutionConfig} key. */
export const DEFAULT_CONFIG: Readonly<ExecutionConfig> = Object.freeze({
  defaultTimeoutMs: 300_000,
  maxTimeoutMs: 3_600_000,
  streamOutput: true,
  logDir: undefined,
  maxConcurrentExecutions: 100,
  onConcurrencyLimit: 'queue',
  maxQueuedExecutions: 10_000,
  minStartIntervalMs: 0,
  maxInMemoryExecutions: 1000,
  executionRetentionMs: 3_600_000,
  enableAutoCleanup: true,
  cleanupIntervalMs: 60_000,
  maxOutputSizeBytes: 10_485_760,
  oversizedOutputStrategy: 'truncateWithWarning',
  killSignal: 'SIGTERM',
  killGraceMs: 5000,
  killOnExit: true,
  journal: undefined,
  requeueOnRecover: true,
  progressIntervalMs: 100,
  groups: undefined,
  defaultGroupLimits: undefined,
});

/** Largest delay a Node timer accepts. */
const MAX_TIMER_MS = 2_147_483_647;

type Check = (value: unknown) => string | undefined;

const integer =
  (min: number, max = MAX_TIMER_MS): Check =>
  (value) =>
    typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max
      ? undefined
      : `an integer from ${min} to ${max}`;
const boolean: Check = (value) => (typeof value === 'boolean' ? undefined : 'a boolean');
const oneOf =
  (...choices: string[]): Check =>
  (value) =>
    typeof value === 'string' && choices.includes(value)
      ? undefined
      : `one of ${choices.map((c) => `'${c}'`).join(', ')}`;
const nonNegativeFinite: Check = (value) =>
  typeof value === 'number' && Number.isFinite(value) && value >= 0
    ? undefined
    : 'a non-negative finite number';
const signal: Check = (value) => (isSignalName(value) ? undefined : "a signal name like 'SIGTERM'");
const timeoutCap: Check = (value) =>
  value === Number.POSITIVE_INFINITY ? undefined : integer(1, Number.MAX_SAFE_INTEGER)(value);
const optionalPath: Check = (value) =>
  value === undefined || (typeof value === 'string' && value.length > 0 && !value.includes('\0'))
    ? undefined
    : 'a non-empty path';

const JOURNAL_METHODS = ['open', 'write', 'readAll', 'readExit', 'remove', 'close'] as const;
const journal: Check = (value) => {
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null) return 'an object';
  const candidate = value as Record<string, unknown>;
  if (JOURNAL_METHODS.every((name) => typeof candidate[name] === 'function')) return undefined;
  const dir = candidate.dir;
  return typeof dir === 'string' && dir.length > 0 && !dir.includes('\0')
    ? undefined
    : '`{ dir }` with a non-empty path, or an object implementing ExecutionJournal';
};

/** Keys whose value is checked and copied by its own module (the error names the nested key). */
const COPIED: Partial<Record<keyof ExecutionConfig, (value: unknown) => unknown>> = {
  groups: checkGroups,
  defaultGroupLimits: (value) => checkGroupLimits('defaultGroupLimits', value),
};
const copied: Check = () => undefined;

const CHECKS: Record<keyof ExecutionConfig, Check> = {
  defaultTimeoutMs: integer(0, Number.MAX_SAFE_INTEGER),
  maxTimeoutMs: timeoutCap,
  streamOutput: boolean,
  logDir: optionalPath,
  maxConcurrentExecutions: integer(1, 1_000_000),
  onConcurrencyLimit: oneOf('queue', 'reject'),
  maxQueuedExecutions: integer(0, Number.MAX_SAFE_INTEGER),
  minStartIntervalMs: integer(0),
  maxInMemoryExecutions: integer(0, Number.MAX_SAFE_INTEGER),
  executionRetentionMs: integer(0, Number.MAX_SAFE_INTEGER),
  enableAutoCleanup: boolean,
  cleanupIntervalMs: integer(1),
  maxOutputSizeBytes: integer(1, Number.MAX_SAFE_INTEGER),
  oversizedOutputStrategy: oneOf('truncateWithWarning', 'failExecution', 'streamToFile'),
  killSignal: signal,
  killGraceMs: integer(0),
  killOnExit: boolean,
  journal,
  requeueOnRecover: boolean,
  progressIntervalMs: nonNegativeFinite,
  groups: copied,
  defaultGroupLimits: copied,
};

/**
 * Merges `config` over the defaults and validates every key once.
 * @throws InvalidConfigError naming the first invalid or unknown key.
 */
export function resolveConfig(config: PartialExecutionConfig = {}): ExecutionConfig {
  if (typeof config !== 'object' || config === null || Array.isArray(config)) {
    throw new InvalidConfigError(
      'config',
      `Expected the config to be an object, got ${describeValue(config)}`,
    );
  }
  const resolved: Record<string, unknown> = { ...DEFAULT_CONFIG };
  let explicitDefaultTimeout = false;
  // Each value is read once (a getter cannot pass validation and then change).
  for (const [key, value] of Object.entries(config)) {
    // Own keys only: `__proto__` or `valueOf` must not find Object.prototype's members.
    if (!Object.hasOwn(CHECKS, key)) throw new InvalidConfigError(key, `Unknown config key \`${key}\``);
    const check = CHECKS[key as keyof ExecutionConfig];
    if (value === undefined && key !== 'logDir' && key !== 'journal') continue;
    if (key === 'defaultTimeoutMs') explicitDefaultTimeout = true;
    const copy = COPIED[key as keyof ExecutionConfig];
    if (copy !== undefined) {
      resolved[key] = copy(value);
      continue;
    }
    const expected = check(value);
    if (expected !== undefined) {
      throw new InvalidConfigError(
        key,
        `Expected the \`${key}\` option to be ${expected}, got ${describeValue(value)}`,
      );
    }
    resolved[key] = value;
  }
  const result = resolved as unknown as ExecutionConfig;
  // A lower maxTimeoutMs alone lowers the default with it; an explicit default must fit.
  if (!explicitDefaultTimeout)
    result.defaultTimeoutMs = Math.min(result.defaultTimeoutMs, result.maxTimeoutMs);
  if (result.defaultTimeoutMs === 0 && result.maxTimeoutMs !== Number.POSITIVE_INFINITY) {
    throw new InvalidConfigError(
      'defaultTimeoutMs',
      'Expected the `defaultTimeoutMs` option to be positive unless `maxTimeoutMs` is Infinity, got `0` (number)',
    );
  }
  if (result.defaultTimeoutMs > result.maxTimeoutMs) {
    throw new InvalidConfigError(
      'defaultTimeoutMs',
      `Expected the \`defaultTimeoutMs\` option to be at most maxTimeoutMs (${result.maxTimeoutMs}), got ${describeValue(result.defaultTimeoutMs)}`,
    );
  }
  return Object.freeze(result);
}
