import { describeFailure } from '../run/outcome.js';
import type { ExecutionRecord } from '../state/execution-record.js';
import type { ExecutionResult } from '../types.js';
import type { TerminalEvent } from './event-types.js';
import { makeEvent } from './make-event.js';

/** The one terminal event of a finished execution, matching its status. */
export function terminalEvent(record: ExecutionRecord, result: ExecutionResult): TerminalEvent {
  switch (result.status) {
    case 'timeout':
      return makeEvent(record, 'timeout', { result, timeoutMs: record.timeoutMs });
    case 'cancelled':
      return makeEvent(
        record,
        'cancelled',
        record.cancelReason === undefined ? { result } : { result, reason: record.cancelReason },
      );
    case 'failed':
      return makeEvent(record, 'failed', {
        result,
        error: result.error ?? { code: 'FAILED', message: describeFailure(record) },
      });
    default:
      return makeEvent(record, 'completed', { result });
  }
}
