import type { ExecutionAttempt, ExecutionErrorInfo, ExecutionRequest, ExecutionSnapshot } from '../types.js';
import type { RecordFields } from './wire.js';

/** What a worker finds when it takes an execution another worker was running: that run is lost. */
export function lostError(fields: RecordFields): ExecutionErrorInfo {
  return {
    code: 'LOST',
    message: `Worker ${fields.worker ?? 'unknown'} stopped renewing its lock while it ran the execution (it died or lost Redis): the process is lost`,
  };
}

/** Another attempt after a lost one: attempts left, and `retry.on` retries a killed process. */
export function mayRetry(request: ExecutionRequest, used: number): boolean {
  const retry = request.retry;
  if (retry === undefined || used >= retry.attempts) return false;
  const on = retry.on;
  return on === undefined || (Array.isArray(on) && on.includes('killedBySignal'));
}

export function lostAttempt(
  previous: ExecutionSnapshot,
  attempt: number,
  error: ExecutionErrorInfo,
): ExecutionAttempt {
  const lost: ExecutionAttempt = {
    attempt,
    status: 'failed',
    exitCode: null,
    signal: null,
    error,
    completedAt: new Date(),
  };
  if (previous.pid !== undefined) lost.pid = previous.pid;
  if (previous.startedAt !== undefined) lost.startedAt = previous.startedAt;
  return lost;
}
