import type { BatchedEvent, ExecutionEvent } from '../events/event-types.js';
import type { PipelineEvent } from '../pipeline/pipeline-types.js';

/** Any event a remote subscription sends: an execution's (or a batch of its lines), or a pipeline's. */
export type StreamEvent = ExecutionEvent | BatchedEvent | PipelineEvent;

/** The event types a live stream may be filtered to (`/events?types=`, `subscribeEvents { types }`). */
export const EVENT_TYPES: ReadonlySet<string> = new Set([
  'queued',
  'started',
  'retrying',
  'stdout',
  'stderr',
  'output',
  'outputTruncated',
  'progress',
  'completed',
  'failed',
  'timeout',
  'cancelled',
  'recovered',
  'pipeline',
]);

/**
 * The `seq` a client resumes after once it has an event: an `output` batch covers `seq` to
 * `seq + lines.length - 1`.
 */
export function lastSeqOf(event: StreamEvent): number {
  return event.type === 'output' ? event.seq + event.lines.length - 1 : event.seq;
}

/**
 * A result or snapshot without `stdout`/`stderr`, which are never read: on a large output they
 * are accessors that would decode all of it (destructuring them away reads them).
 */
export function withoutOutput<T extends object>(fields: T): Omit<T, 'stdout' | 'stderr'> {
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(fields)) {
    if (key !== 'stdout' && key !== 'stderr') copy[key] = (fields as Record<string, unknown>)[key];
  }
  return copy as Omit<T, 'stdout' | 'stderr'>;
}

/** An event as sent: a terminal event's result without `stdout`/`stderr` (its lines were sent). */
export function wireEvent(event: StreamEvent): unknown {
  if (!('result' in event)) return event;
  return { ...event, result: withoutOutput(event.result) };
}

/** A value as JSON would carry it (dates as ISO strings, no functions), so every transport agrees. */
export function jsonValue(value: unknown): unknown {
  return value === undefined ? null : JSON.parse(JSON.stringify(value));
}

/**
 * An event ready for any transport: line events as they are (plain strings and numbers), others
 * through JSON (a result's dates as strings, a terminal event without its output).
 */
export function portableEvent(event: StreamEvent): unknown {
  if (event.type === 'output' || event.type === 'stdout' || event.type === 'stderr') return event;
  return jsonValue(wireEvent(event));
}

/** A cheap estimate of an event's size on the wire, in bytes, for the bounds on unsent data. */
export function estimateBytes(event: StreamEvent): number {
  if (event.type === 'output') {
    let bytes = 120;
    for (const line of event.lines) bytes += line.length + 3;
    return bytes;
  }
  if (event.type === 'stdout' || event.type === 'stderr') return event.line.length + 120;
  return 400;
}
