import { InvalidRequestError } from '../errors.js';
import { EXECUTION_STATUSES, isExecutionStatus } from '../types.js';
import { checkAbortSignal, checkDuration, isPlainObject } from '../utils/checks.js';
import { describeValue } from '../utils/describe-value.js';

/** `shutdown`'s default grace for running executions. */
const DEFAULT_GRACE_MS = 30_000;

/** Options of `waitForCompletion`, validated and read once. */
export interface CheckedWaitOptions {
  timeoutMs: number | undefined;
  signal: AbortSignal | undefined;
}

/** Options of `shutdown`, validated, read once and with defaults applied. */
export interface CheckedShutdownOptions {
  graceMs: number;
  kill: boolean;
}

/** The options object itself: `undefined` and `null` mean none; anything else must be a plain object. */
function optionsObject(field: string, value: unknown): Record<string, unknown> {
  if (value === undefined || value === null) return {};
  if (!isPlainObject(value)) {
    throw new InvalidRequestError(
      field,
      `Expected \`${field}\` to be an object, got ${describeValue(value)}`,
    );
  }
  return value;
}

/**
 * The statuses `list(filter)` keeps: `undefined` for all. `filter` may be `undefined` or `null`
 * (no filter) or `{ status? }` with one status or an array of them.
 * @throws InvalidRequestError naming `filter` or `filter.status`.
 */
export function checkListFilter(filter: unknown): ReadonlySet<string> | undefined {
  const { status } = optionsObject('filter', filter);
  if (status === undefined) return undefined;
  const statuses: unknown[] = Array.isArray(status) ? [...status] : [status];
  for (const value of statuses) {
    if (!isExecutionStatus(value)) {
      throw new InvalidRequestError(
        'filter.status',
        `Expected \`filter.status\` to be a status (${EXECUTION_STATUSES.join(', ')}) or an array of them, got ${describeValue(value)}`,
      );
    }
  }
  return new Set(statuses as string[]);
}

/**
 * Validates the options of `waitForCompletion`: `timeoutMs` a positive integer, `signal` an
 * `AbortSignal`. `undefined` and `null` mean no options.
 * @throws InvalidRequestError naming `options`, `timeoutMs` or `signal`.
 */
export function checkWaitOptions(options: unknown): CheckedWaitOptions {
  const { timeoutMs, signal } = optionsObject('options', options);
  const checked: CheckedWaitOptions = { timeoutMs: undefined, signal: undefined };
  if (timeoutMs !== undefined) checked.timeoutMs = checkDuration('timeoutMs', timeoutMs, 1);
  if (signal !== undefined) checked.signal = checkAbortSignal('signal', signal);
  return checked;
}

/**
 * Validates the options of `shutdown` and applies the defaults: `graceMs` a non-negative integer
 * (default 30000), `kill` a boolean (default true). `undefined` and `null` mean no options.
 * @throws InvalidRequestError naming `options`, `graceMs` or `kill`.
 */
export function checkShutdownOptions(options: unknown): CheckedShutdownOptions {
  const { graceMs, kill } = optionsObject('options', options);
  const checkedGrace = graceMs === undefined ? DEFAULT_GRACE_MS : checkDuration('graceMs', graceMs, 0);
  if (kill !== undefined && typeof kill !== 'boolean') {
    throw new InvalidRequestError('kill', `Expected \`kill\` to be a boolean, got ${describeValue(kill)}`);
  }
  return { graceMs: checkedGrace, kill: kill ?? true };
}

/**
 * `subscribe`'s `afterSeq`: a non-negative integer, 0 when absent.
 * @throws InvalidRequestError naming `afterSeq`.
 */
export function checkAfterSeq(value: unknown): number {
  if (value === undefined) return 0;
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return value;
  throw new InvalidRequestError(
    'afterSeq',
    `Expected \`afterSeq\` to be a non-negative integer, got ${describeValue(value)}`,
  );
}
