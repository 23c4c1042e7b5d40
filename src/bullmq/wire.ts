import { reviveDates, reviveEvent } from '../client/revive.js';
import type { BatchedEvent, ExecutionEvent, OutputEvent } from '../events/event-types.js';
import type {
  ExecutionRequest,
  ExecutionResult,
  ExecutionSnapshot,
  PipelineRef,
  SpawnedCommand,
} from '../types.js';

/** What a job carries: the checked request in plain data, its capability. */
export interface JobData {
  id: string;
  request: ExecutionRequest;
  capability: string;
  /** The pipeline step it runs, for a pipeline's step. */
  pipeline?: PipelineRef;
}

/** The fields of an execution's record (a Redis hash), as read. */
export interface RecordFields {
  /** JSON of the plain request. */
  request?: string;
  /** JSON of the spawned command, as known when it was submitted. */
  command?: string;
  capability?: string;
  created?: string;
  status?: string;
  /** The last `seq` written to its stream. */
  seq?: string;
  /** The run that holds it: `<workerId>:<uuid>`, `*` once settled by an engine. */
  token?: string;
  worker?: string;
  /** Attempts started so far, by every worker. */
  attempts?: string;
  /** JSON of the latest snapshot a worker wrote (no output). */
  snapshot?: string;
  /** JSON of the result, once terminal. */
  result?: string;
  /** A cancel asked for it: the reason (may be empty). */
  cancel?: string;
}

/** A request in JSON-safe form: a `Uint8Array` input becomes `{ base64 }`. */
export function encodeRequest(request: ExecutionRequest): unknown {
  const { input } = request;
  if (!(input instanceof Uint8Array)) return request;
  return { ...request, input: { base64: Buffer.from(input).toString('base64') } };
}

/** The inverse of {@link encodeRequest}. */
export function decodeRequest(value: unknown): ExecutionRequest {
  const request = value as ExecutionRequest & { input?: unknown };
  const input = request.input as { base64?: string } | string | undefined;
  if (typeof input !== 'object' || input === null || input.base64 === undefined) return request;
  return { ...request, input: new Uint8Array(Buffer.from(input.base64, 'base64')) };
}

/** A stream entry's events (an `output` batch stays one event). */
export function decodeEntry(fields: string[]): BatchedEvent[] {
  const index = fields.indexOf('e');
  if (index < 0) return [];
  const events = JSON.parse(fields[index + 1] ?? '[]') as BatchedEvent[];
  for (const event of events) reviveEvent(event);
  return events;
}

/** The per-line events of an `output` batch: line `i` has `seq + i`. */
export function linesOf(event: OutputEvent): ExecutionEvent[] {
  const { stream, lines, seq, type: _type, ...rest } = event;
  return lines.map((line, i) => ({ ...rest, type: stream, seq: seq + i, line }) as ExecutionEvent);
}

/** `event` without what `afterSeq` already saw (for a batch, its lines up to there); `undefined` if all. */
export function after(event: BatchedEvent, afterSeq: number): BatchedEvent | undefined {
  if (event.type !== 'output') return event.seq > afterSeq ? event : undefined;
  const skip = afterSeq - event.seq + 1;
  if (skip <= 0) return event;
  if (skip >= event.lines.length) return undefined;
  return { ...event, seq: event.seq + skip, lines: event.lines.slice(skip) };
}

/** The last `seq` an event covers. */
export function lastSeqOf(event: BatchedEvent): number {
  return event.type === 'output' ? event.seq + event.lines.length - 1 : event.seq;
}

/** A result read from its record. */
export function decodeResult<Meta>(json: string): ExecutionResult<Meta & Record<string, unknown>> {
  return reviveDates(JSON.parse(json)) as ExecutionResult<Meta & Record<string, unknown>>;
}

/** The snapshot of an execution no worker has started, from its record. */
export function queuedSnapshot(id: string, fields: RecordFields): ExecutionSnapshot {
  const request = JSON.parse(fields.request ?? '{}') as ExecutionRequest;
  const command = JSON.parse(fields.command ?? '{"file":"","args":[]}') as SpawnedCommand;
  const snapshot: Record<string, unknown> = {
    id,
    status: 'queued',
    success: false,
    exitCode: null,
    signal: null,
    stdout: '',
    stderr: '',
    stdoutTruncated: false,
    stderrTruncated: false,
    command,
    createdAt: new Date(Number(fields.created ?? Date.now())),
    attempts: [],
    commandType: request.command?.type,
  };
  if (request.metadata !== undefined) snapshot.metadata = request.metadata;
  if (request.priority !== undefined) snapshot.priority = request.priority;
  if (request.group !== undefined) snapshot.group = request.group;
  const pipeline = (request as { pipeline?: unknown }).pipeline;
  if (pipeline !== undefined) snapshot.pipeline = pipeline;
  return snapshot as unknown as ExecutionSnapshot;
}

/** The latest snapshot a record holds: its result, a worker's snapshot, or a queued one. */
export function snapshotOf(id: string, fields: RecordFields): ExecutionSnapshot {
  if (fields.result !== undefined) return decodeResult(fields.result);
  if (fields.snapshot !== undefined) return reviveDates(JSON.parse(fields.snapshot)) as ExecutionSnapshot;
  return queuedSnapshot(id, fields);
}
