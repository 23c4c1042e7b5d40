import { ConcurrencyLimitReachedError } from '../errors.js';
import type { AdmissionLimits } from './admission.js';

/** A group's cap and how many of its executions run or wait now. */
export interface GroupLoad {
  name: string;
  cap: number | undefined;
  busy: number;
}

/**
 * Throws `ConcurrencyLimitReachedError` if an execution submitted now would be refused: in
 * `'reject'` mode when every slot (or every slot of its group) is taken, with that limit; in any
 * mode when it would have to wait and `maxQueuedExecutions` already do.
 */
export function assertRoom(
  limits: AdmissionLimits,
  running: number,
  queued: number,
  group?: GroupLoad,
): void {
  const { maxConcurrentExecutions: max, onConcurrencyLimit, maxQueuedExecutions } = limits;
  const slotFree = running + queued < max;
  const cap = group?.cap;
  const groupFree = cap === undefined || (group?.busy ?? 0) < cap;
  if (onConcurrencyLimit === 'reject' && !slotFree) {
    throw new ConcurrencyLimitReachedError(max, `Concurrency limit reached: ${max} executions are running`);
  }
  if (onConcurrencyLimit === 'reject' && cap !== undefined && !groupFree) {
    throw new ConcurrencyLimitReachedError(
      cap,
      `Concurrency limit of group \`${group?.name}\` reached: ${cap} executions are running`,
    );
  }
  if (!(slotFree && groupFree) && queued >= maxQueuedExecutions) {
    throw new ConcurrencyLimitReachedError(
      maxQueuedExecutions,
      `Queue limit reached: ${maxQueuedExecutions} executions are waiting`,
    );
  }
}
