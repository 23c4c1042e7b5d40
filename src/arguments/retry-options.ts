import { InvalidRequestError } from '../errors.js';
import type { ExecutionResult, RetryCondition, RetryOptions } from '../types.js';
import { checkDuration, isPlainObject } from '../utils/checks.js';
import { describeValue } from '../utils/describe-value.js';
import { checkKeys, RETRY_KEYS } from './request-keys.js';

/** The conditions retried when a request's `retry.on` is left out. */
export const DEFAULT_RETRY_ON: readonly RetryCondition[] = ['nonZeroExit', 'killedBySignal', 'timeout'];

/** Every {@link RetryCondition}, for validation. */
const RETRY_CONDITIONS: ReadonlySet<string> = new Set(DEFAULT_RETRY_ON);

/** A request's `retry`, validated and with its defaults applied. */
export interface RetryPolicy {
  /** Total attempts, >= 1. */
  attempts: number;
  delayMs: number;
  backoff: 'fixed' | 'exponential';
  maxDelayMs: number;
  jitter: boolean;
  on: ReadonlySet<RetryCondition> | ((result: ExecutionResult) => boolean);
}

/** Defaults of a request's `retry`. */
const DEFAULT_DELAY_MS = 1000;
const DEFAULT_MAX_DELAY_MS = 60_000;

/** A checked `retry`: the policy that runs, and the request's own fields as read (for the journal). */
export interface CheckedRetry {
  policy: RetryPolicy;
  snapshot: RetryOptions;
}

function checkAttempts(value: unknown): number {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 1) return value;
  throw new InvalidRequestError(
    'retry.attempts',
    `Expected \`retry.attempts\` to be an integer >= 1 (the total number of attempts), got ${describeValue(value)}`,
  );
}

function checkBackoff(value: unknown): 'fixed' | 'exponential' {
  if (value === 'fixed' || value === 'exponential') return value;
  throw new InvalidRequestError(
    'retry.backoff',
    `Expected \`retry.backoff\` to be 'fixed' or 'exponential', got ${describeValue(value)}`,
  );
}

function checkJitter(value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  throw new InvalidRequestError(
    'retry.jitter',
    `Expected \`retry.jitter\` to be a boolean, got ${describeValue(value)}`,
  );
}

/** `on`: a non-empty list of conditions (copied, each read once) or a function (not with a journal). */
function checkOn(value: unknown, journaled: boolean): RetryOptions['on'] & {} {
  if (typeof value === 'function') {
    if (journaled) {
      throw new InvalidRequestError(
        'retry.on',
        'Expected `retry.on` to be a list of conditions with a journal: a function cannot be journaled, so a recovered execution could not apply it',
      );
    }
    return value as (result: ExecutionResult) => boolean;
  }
  const expected = "an array of 'nonZeroExit', 'killedBySignal', 'timeout' or a function";
  if (!Array.isArray(value) || value.length === 0) {
    throw new InvalidRequestError(
      'retry.on',
      `Expected \`retry.on\` to be ${expected}, got ${describeValue(value)}`,
    );
  }
  const length = value.length;
  const list: RetryCondition[] = [];
  for (let i = 0; i < length; i++) {
    const item: unknown = value[i];
    if (typeof item !== 'string' || !RETRY_CONDITIONS.has(item)) {
      throw new InvalidRequestError(
        `retry.on[${i}]`,
        `Expected \`retry.on[${i}]\` to be 'nonZeroExit', 'killedBySignal' or 'timeout', got ${describeValue(item)}`,
      );
    }
    list.push(item as RetryCondition);
  }
  return list;
}

/**
 * Validates a request's `retry`, reading each field once; `undefined` when absent. `journaled`:
 * the engine has a journal (then `on` must be a list).
 * @throws InvalidRequestError naming the field (`retry`, `retry.attempts`, `retry.on[1]`, ...).
 */
export function checkRetry(value: unknown, journaled: boolean): CheckedRetry | undefined {
  if (value === undefined) return undefined;
  if (!isPlainObject(value)) {
    throw new InvalidRequestError('retry', `Expected \`retry\` to be an object, got ${describeValue(value)}`);
  }
  checkKeys(value, RETRY_KEYS, 'retry');
  const { attempts, delayMs, backoff, maxDelayMs, jitter, on } = value as Record<string, unknown>;
  const snapshot: RetryOptions = { attempts: checkAttempts(attempts) };
  if (delayMs !== undefined) snapshot.delayMs = checkDuration('retry.delayMs', delayMs, 0);
  if (backoff !== undefined) snapshot.backoff = checkBackoff(backoff);
  if (maxDelayMs !== undefined) snapshot.maxDelayMs = checkDuration('retry.maxDelayMs', maxDelayMs, 0);
  if (jitter !== undefined) snapshot.jitter = checkJitter(jitter);
  if (on !== undefined) snapshot.on = checkOn(on, journaled);
  const rule = snapshot.on ?? DEFAULT_RETRY_ON;
  const policy: RetryPolicy = {
    attempts: snapshot.attempts,
    delayMs: snapshot.delayMs ?? DEFAULT_DELAY_MS,
    backoff: snapshot.backoff ?? 'exponential',
    maxDelayMs: snapshot.maxDelayMs ?? DEFAULT_MAX_DELAY_MS,
    jitter: snapshot.jitter ?? true,
    on: typeof rule === 'function' ? rule : new Set(rule),
  };
  return { policy, snapshot };
}
