import type { EventBus } from '../events/event-bus.js';
import type { StderrEvent, StdoutEvent } from '../events/event-types.js';
import { ProgressTracker } from '../progress/progress-tracker.js';
import type { ExecutionRecord } from '../state/execution-record.js';
import { makeEvent } from '../state/make-event.js';

/**
 * The progress tracker of one attempt of `record` (none without a `progress` parser): the latest
 * update becomes `record.progress`, the throttled ones `progress` events (the latest kept for
 * replay), and a parser that throws is reported on `handlerError` with the line's event.
 */
export function trackProgress(
  record: ExecutionRecord,
  bus: EventBus,
  intervalMs: number,
): ProgressTracker | undefined {
  const parser = record.progressParser;
  if (parser === undefined) return undefined;
  // A new attempt starts with no progress.
  record.progress = undefined;
  return new ProgressTracker(parser, {
    intervalMs,
    onUpdate: (update) => {
      record.progress = update;
    },
    onEmit: (progress) => {
      const event = makeEvent(record, 'progress', { progress });
      record.log.addProgress(event);
      bus.emit(event);
    },
    onError: (error, line, stream) =>
      bus.reportError(error, lineEvent(record, stream, line), 'progress parser'),
  });
}

/** The event of the line just read (its `seq` is the latest; without `streamOutput` none was emitted). */
function lineEvent(
  record: ExecutionRecord,
  stream: 'stdout' | 'stderr',
  line: string,
): StdoutEvent | StderrEvent {
  const event = { type: stream, executionId: record.id, seq: record.seq, timestamp: Date.now(), line } as
    | StdoutEvent
    | StderrEvent;
  if (record.metadata !== undefined) event.metadata = record.metadata;
  return event;
}
