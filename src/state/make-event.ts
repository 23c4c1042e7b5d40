import type { ExecutionEvent } from '../events/event-types.js';
import type { ExecutionRecord } from './execution-record.js';

type EventOf<T extends ExecutionEvent['type']> = Extract<ExecutionEvent, { type: T }>;
type ExtraFields<T extends ExecutionEvent['type']> = Omit<
  EventOf<T>,
  'type' | 'executionId' | 'seq' | 'timestamp' | 'metadata' | 'schedule' | 'pipeline'
>;

/** Builds the next event of `record`, taking the next `seq`. */
export function makeEvent<T extends ExecutionEvent['type']>(
  record: ExecutionRecord,
  type: T,
  fields: ExtraFields<T>,
): EventOf<T> {
  const event = {
    type,
    executionId: record.id,
    seq: ++record.seq,
    timestamp: Date.now(),
    ...fields,
  } as EventOf<T>;
  if (record.metadata !== undefined) event.metadata = record.metadata;
  if (record.schedule !== undefined) event.schedule = record.schedule;
  if (record.pipeline !== undefined) event.pipeline = record.pipeline;
  return event;
}
