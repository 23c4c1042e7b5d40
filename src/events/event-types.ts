import type { OversizedOutputStrategy } from '../config.js';
import type { PipelineEvent } from '../pipeline/pipeline-types.js';
import type { ProgressUpdate } from '../progress/progress-types.js';
import {
  type CancelledResult,
  type CompletedResult,
  type ExecutionErrorInfo,
  type ExecutionMetadata,
  type FailedResult,
  type PipelineRef,
  type RecoveryClassification,
  type SpawnedCommand,
  TERMINAL_STATUSES,
  type TerminalStatus,
  type TimeoutResult,
} from '../types.js';

/** Fields every event carries. `seq` counts from 1 per execution. */
export interface BaseEvent<Meta extends ExecutionMetadata = ExecutionMetadata> {
  executionId: string;
  seq: number;
  /** Milliseconds since the epoch. */
  timestamp: number;
  metadata?: Meta;
  /** The name of the schedule that started the execution (`engine.schedule`), if one did. */
  schedule?: string;
  /** The pipeline and step the execution runs, if it is a pipeline's step. */
  pipeline?: PipelineRef;
}

/** The execution is waiting for a slot; `position` is its place in the queue (1 = next). */
export interface QueuedEvent<Meta extends ExecutionMetadata = ExecutionMetadata> extends BaseEvent<Meta> {
  type: 'queued';
  position: number;
}

/** The process was spawned. */
export interface StartedEvent<Meta extends ExecutionMetadata = ExecutionMetadata> extends BaseEvent<Meta> {
  type: 'started';
  pid: number;
  command: SpawnedCommand;
  /** Which attempt this process is: 1 for the first, then one more per retry. */
  attempt: number;
  /** The id of the worker that runs it, for an execution of a `DistributedEngine` (`execution-engine/bullmq`). */
  worker?: string;
}

/**
 * An attempt failed and the request's `retry` runs the command again: the execution is `queued`
 * (its slot free for others) until `attempt` starts, after `delayMs`.
 */
export interface RetryingEvent<Meta extends ExecutionMetadata = ExecutionMetadata> extends BaseEvent<Meta> {
  type: 'retrying';
  /** The attempt that will start next (2 for the first retry). */
  attempt: number;
  /** How long until it is handed back to admission, in ms. */
  delayMs: number;
  /** How the attempt that just ended did. */
  previous: {
    status: TerminalStatus;
    exitCode: number | null;
    signal: string | null;
    error?: ExecutionErrorInfo;
  };
}

/** One line of stdout, without its line break. */
export interface StdoutEvent<Meta extends ExecutionMetadata = ExecutionMetadata> extends BaseEvent<Meta> {
  type: 'stdout';
  line: string;
}

/** One line of stderr, without its line break. */
export interface StderrEvent<Meta extends ExecutionMetadata = ExecutionMetadata> extends BaseEvent<Meta> {
  type: 'stderr';
  line: string;
}

/**
 * Batched view of output: consecutive lines of one stream from one read, without their line
 * breaks. `seq` is the first line's number; line `i` is `seq + i` (the numbers the per-line
 * `stdout`/`stderr` events carry). Delivered only to `on('output')` listeners, handlers added with
 * `lines: 'batched'` and `subscribe(id, { lines: 'batched' })`; never to the `event` catch-all.
 */
export interface OutputEvent<Meta extends ExecutionMetadata = ExecutionMetadata> extends BaseEvent<Meta> {
  type: 'output';
  stream: 'stdout' | 'stderr';
  lines: string[];
}

/** The output passed `maxOutputSizeBytes`; emitted once per execution. */
export interface OutputTruncatedEvent<Meta extends ExecutionMetadata = ExecutionMetadata>
  extends BaseEvent<Meta> {
  type: 'outputTruncated';
  limitBytes: number;
  strategy: OversizedOutputStrategy;
}

/**
 * New progress read from the output (requests with `progress`): at most one per
 * `progressIntervalMs`, the latest always before the terminal event. `percent` is filled in from
 * `current`/`total` when the parser gave none. `subscribe` replays only the latest one.
 */
export interface ProgressEvent<Meta extends ExecutionMetadata = ExecutionMetadata> extends BaseEvent<Meta> {
  type: 'progress';
  progress: Readonly<ProgressUpdate>;
}

/** The process exited by itself (any exit code). Terminal. */
export interface CompletedEvent<Meta extends ExecutionMetadata = ExecutionMetadata> extends BaseEvent<Meta> {
  type: 'completed';
  result: CompletedResult<Meta>;
}

/** The execution failed (spawn failure, output limit, killed by a foreign signal). Terminal. */
export interface FailedEvent<Meta extends ExecutionMetadata = ExecutionMetadata> extends BaseEvent<Meta> {
  type: 'failed';
  result: FailedResult<Meta>;
  error: ExecutionErrorInfo;
}

/** The timeout passed and the process group was terminated. Terminal. */
export interface TimeoutEvent<Meta extends ExecutionMetadata = ExecutionMetadata> extends BaseEvent<Meta> {
  type: 'timeout';
  result: TimeoutResult<Meta>;
  timeoutMs: number;
}

/** The execution was cancelled (by `cancel` or `shutdown`). Terminal. */
export interface CancelledEvent<Meta extends ExecutionMetadata = ExecutionMetadata> extends BaseEvent<Meta> {
  type: 'cancelled';
  result: CancelledResult<Meta>;
  reason?: string;
}

/** An execution found in the journal after a restart; `classification` says what became of it. */
export interface RecoveredEvent<Meta extends ExecutionMetadata = ExecutionMetadata> extends BaseEvent<Meta> {
  type: 'recovered';
  classification: RecoveryClassification;
}

/** Every event of an execution, discriminated by `type`. */
export type ExecutionEvent<Meta extends ExecutionMetadata = ExecutionMetadata> =
  | QueuedEvent<Meta>
  | StartedEvent<Meta>
  | RetryingEvent<Meta>
  | StdoutEvent<Meta>
  | StderrEvent<Meta>
  | OutputTruncatedEvent<Meta>
  | ProgressEvent<Meta>
  | CompletedEvent<Meta>
  | FailedEvent<Meta>
  | TimeoutEvent<Meta>
  | CancelledEvent<Meta>
  | RecoveredEvent<Meta>;

/** The four terminal events; exactly one per execution, always the last. */
export type TerminalEvent<Meta extends ExecutionMetadata = ExecutionMetadata> =
  | CompletedEvent<Meta>
  | FailedEvent<Meta>
  | TimeoutEvent<Meta>
  | CancelledEvent<Meta>;

/**
 * The events a batched consumer gets: every execution event, with `output` events in place of the
 * per-line `stdout`/`stderr` ones.
 */
export type BatchedEvent<Meta extends ExecutionMetadata = ExecutionMetadata> =
  | Exclude<ExecutionEvent<Meta>, StdoutEvent<Meta> | StderrEvent<Meta>>
  | OutputEvent<Meta>;

/** How a handler or subscriber receives output: one event per line, or `output` batches. */
export type LinesMode = 'each' | 'batched';

/** Names of the execution events. */
export type ExecutionEventType = ExecutionEvent['type'];

/** A pluggable consumer of events, added with `engine.addEventHandler`. */
export interface EventHandler<Meta extends ExecutionMetadata = ExecutionMetadata> {
  /** Called for every event, in `seq` order per execution. Errors are reported on `handlerError`. */
  handleEvent(event: ExecutionEvent<Meta>): void | Promise<void>;
}

/** A handler added with `engine.addEventHandler(handler, { lines: 'batched' })`. */
export interface BatchedEventHandler<Meta extends ExecutionMetadata = ExecutionMetadata> {
  /** Called for every event but `stdout`/`stderr`, which come as `output` batches instead. */
  handleEvent(event: BatchedEvent<Meta>): void | Promise<void>;
}

/** Listener signatures of the engine's typed emitter (`engine.on(type, listener)`). */
export interface EngineEvents<Meta extends ExecutionMetadata = ExecutionMetadata> {
  /** Emitted when an execution waits for a slot. */
  queued: (event: QueuedEvent<Meta>) => void;
  /** Emitted when a process is spawned (`attempt` says which). */
  started: (event: StartedEvent<Meta>) => void;
  /** Emitted when a failed attempt will be retried (the execution is `queued` again). */
  retrying: (event: RetryingEvent<Meta>) => void;
  /** Emitted for each stdout line (unless `streamOutput` is false). */
  stdout: (event: StdoutEvent<Meta>) => void;
  /** Emitted for each stderr line (unless `streamOutput` is false). */
  stderr: (event: StderrEvent<Meta>) => void;
  /**
   * Emitted for each batch of consecutive lines of one stream from one read (unless
   * `streamOutput` is false). Not emitted to the `event` catch-all.
   */
  output: (event: OutputEvent<Meta>) => void;
  /** Emitted once when an execution's output first passes `maxOutputSizeBytes`. */
  outputTruncated: (event: OutputTruncatedEvent<Meta>) => void;
  /** Emitted when new progress is read from the output (requests with `progress`), throttled. */
  progress: (event: ProgressEvent<Meta>) => void;
  /** Emitted when a process exits by itself. */
  completed: (event: CompletedEvent<Meta>) => void;
  /** Emitted when an execution fails. */
  failed: (event: FailedEvent<Meta>) => void;
  /** Emitted when an execution times out. */
  timeout: (event: TimeoutEvent<Meta>) => void;
  /** Emitted when an execution is cancelled. */
  cancelled: (event: CancelledEvent<Meta>) => void;
  /** Emitted when recovery finds an execution of a previous host in the journal. */
  recovered: (event: RecoveredEvent<Meta>) => void;
  /** Emitted for every execution event, after the typed one (not for `output` batches). */
  event: (event: ExecutionEvent<Meta>) => void;
  /** Emitted when a pipeline's step changes state, and once when the pipeline ends. */
  pipeline: (event: PipelineEvent) => void;
  /**
   * Emitted when an event handler or listener throws or rejects, or a `progress` parser throws
   * (then `event` is the line's `stdout`/`stderr` event); the execution is unaffected.
   */
  handlerError: (error: unknown, event: ExecutionEvent<Meta> | OutputEvent<Meta> | PipelineEvent) => void;
}

/** True for the four terminal event types. */
export function isTerminalEvent<Meta extends ExecutionMetadata = ExecutionMetadata>(
  event: ExecutionEvent<Meta>,
): event is TerminalEvent<Meta> {
  return (TERMINAL_STATUSES as readonly string[]).includes(event.type);
}
