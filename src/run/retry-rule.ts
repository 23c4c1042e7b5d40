import type { Decision } from '../execution/outcome.js';
import type { ExecutionRecord } from '../state/execution-record.js';
import type { ExecutionResult } from '../types.js';

/**
 * Asks a retry rule given as a function (`retry.on`) about the attempt that just ended with
 * `decision`: it gets the result that attempt would give if it were the last. A rule that throws
 * (or returns anything but `true`) means no retry; the error is reported as a process warning.
 */
export function askRetryRule(record: ExecutionRecord, decision: Decision): boolean {
  const rule = record.state.retry?.on;
  if (typeof rule !== 'function') return false;
  try {
    return rule(attemptResult(record, decision)) === true;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    process.emitWarning(`execution-engine: the retry rule of execution ${record.id} threw: ${message}`, {
      code: 'EXECUTION_ENGINE_RETRY_RULE',
    });
    return false;
  }
}

/** The result the attempt that just ended would give, were it the last (read while it settles). */
function attemptResult(record: ExecutionRecord, decision: Decision): ExecutionResult {
  const snapshot = record.snapshot() as unknown as Record<string, unknown>;
  const ended = record.state.lastAttempt;
  const completedAt = ended?.completedAt ?? new Date();
  const startedAt = record.state.firstStartedAt;
  const result: Record<string, unknown> = {
    ...snapshot,
    status: decision.status,
    success: decision.status === 'completed' && ended?.exitCode === 0,
    completedAt,
    durationMs: startedAt === undefined ? 0 : completedAt.getTime() - startedAt.getTime(),
  };
  if (decision.error !== undefined) result.error = decision.error;
  if (decision.json !== undefined) result.json = decision.json;
  return result as unknown as ExecutionResult;
}
