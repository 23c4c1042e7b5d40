import type { TerminalEvent } from '../events/event-types.js';
import { describeFailure } from '../execution/failure-text.js';
import type { ExecutionResult } from '../types.js';
import type { ExecutionRecord } from './execution-record.js';
import { makeEvent } from './make-event.js';

/** The one terminal event of a finished execution, matching its status. */
export function terminalEvent(record: ExecutionRecord, result: ExecutionResult): TerminalEvent {
  switch (result.status) {
    case 'timeout':
      return makeEvent(record, 'timeout', { result, timeoutMs: record.timeoutMs });
    case 'cancelled': {
      const reason = record.state.cancelReason;
      return makeEvent(record, 'cancelled', reason === undefined ? { result } : { result, reason });
    }
    case 'failed': {
      const { status, timeoutMs, cancelReason, error, exitCode } = record.state;
      const facts = { status, command: record.command, timeoutMs, cancelReason, error, exitCode };
      return makeEvent(record, 'failed', {
        result,
        error: result.error ?? { code: 'FAILED', message: describeFailure(facts) },
      });
    }
    default:
      return makeEvent(record, 'completed', { result });
  }
}
