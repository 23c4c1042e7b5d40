import type { RetryPolicy } from '../arguments/retry-options.js';
import type { ExecutionErrorCode, RetryCondition } from '../types.js';
import type { Decision, TerminationReason } from './outcome.js';

/** Error codes whose attempt is never retried, whatever `on` says. */
export const NEVER_RETRIED_CODES: ReadonlySet<ExecutionErrorCode> = new Set([
  'SPAWN_FAILED',
  'OUTPUT_SIZE_EXCEEDED',
  'EXPIRED',
]);

/**
 * The retry condition an attempt's ending matches, or `undefined` when it is never retried: the
 * engine stopped it for anything but its timeout (cancel, shutdown, the output limit), it never
 * started, it expired, it was lost, or it succeeded.
 */
export function retryCondition(
  reason: TerminationReason | undefined,
  decision: Decision,
  exitCode: number | null,
): RetryCondition | undefined {
  if (decision.error !== undefined && NEVER_RETRIED_CODES.has(decision.error.code)) return undefined;
  if (reason !== undefined && reason !== 'timeout') return undefined;
  if (decision.status === 'timeout') return 'timeout';
  if (decision.status === 'failed')
    return decision.error?.code === 'KILLED_BY_SIGNAL' ? 'killedBySignal' : undefined;
  if (decision.status === 'completed' && exitCode !== 0) return 'nonZeroExit';
  return undefined;
}

/**
 * The delay before the attempt after attempt `finished` (1 for the first): `delayMs` (fixed) or
 * `delayMs * 2^(finished - 1)` (exponential), capped at `maxDelayMs`; with jitter, a whole number
 * of ms drawn from 0 to that delay (`random` returns [0, 1)).
 */
export function backoffDelay(
  policy: RetryPolicy,
  finished: number,
  random: () => number = Math.random,
): number {
  const { delayMs, backoff, maxDelayMs, jitter } = policy;
  const grown = backoff === 'fixed' ? delayMs : delayMs * 2 ** (finished - 1);
  const capped = Math.min(grown, maxDelayMs);
  return jitter ? Math.floor(random() * (capped + 1)) : capped;
}
