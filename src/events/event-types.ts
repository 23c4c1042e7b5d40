import type { OversizedOutputStrategy } from '../config.js';
import {
  type ExecutionErrorInfo,
  type ExecutionResult,
  type RecoveryClassification,
  type SpawnedCommand,
  TERMINAL_STATUSES,
} from '../types.js';

/** Fields every event carries. `seq` counts from 1 per execution. */
export interface BaseEvent {
  executionId: string;
  seq: number;
  /** Milliseconds since the epoch. */
  timestamp: number;
  metadata?: Record<string, unknown>;
}

/** The execution is waiting for a slot; `position` is its place in the queue (1 = next). */
export interface QueuedEvent extends BaseEvent {
  type: 'queued';
  position: number;
}

/** The process was spawned. */
export interface StartedEvent extends BaseEvent {
  type: 'started';
  pid: number;
  command: SpawnedCommand;
}

/** One line of stdout, without its line break. */
export interface StdoutEvent extends BaseEvent {
  type: 'stdout';
  line: string;
}

/** One line of stderr, without its line break. */
export interface StderrEvent extends BaseEvent {
  type: 'stderr';
  line: string;
}

/** The output passed `maxOutputSizeBytes`; emitted once per execution. */
export interface OutputTruncatedEvent extends BaseEvent {
  type: 'outputTruncated';
  limitBytes: number;
  strategy: OversizedOutputStrategy;
}

/** The process exited by itself (any exit code). Terminal. */
export interface CompletedEvent extends BaseEvent {
  type: 'completed';
  result: ExecutionResult;
}

/** The execution failed (spawn failure, output limit, killed by a foreign signal). Terminal. */
export interface FailedEvent extends BaseEvent {
  type: 'failed';
  result: ExecutionResult;
  error: ExecutionErrorInfo;
}

/** The timeout passed and the process group was terminated. Terminal. */
export interface TimeoutEvent extends BaseEvent {
  type: 'timeout';
  result: ExecutionResult;
  timeoutMs: number;
}

/** The execution was cancelled (by `cancel` or `shutdown`). Terminal. */
export interface CancelledEvent extends BaseEvent {
  type: 'cancelled';
  result: ExecutionResult;
  reason?: string;
}

/** An execution found in the journal after a restart; `classification` says what became of it. */
export interface RecoveredEvent extends BaseEvent {
  type: 'recovered';
  classification: RecoveryClassification;
}

/** Every event of an execution, discriminated by `type`. */
export type ExecutionEvent =
  | QueuedEvent
  | StartedEvent
  | StdoutEvent
  | StderrEvent
  | OutputTruncatedEvent
  | CompletedEvent
  | FailedEvent
  | TimeoutEvent
  | CancelledEvent
  | RecoveredEvent;

/** The four terminal events; exactly one per execution, always the last. */
export type TerminalEvent = CompletedEvent | FailedEvent | TimeoutEvent | CancelledEvent;

/** Names of the execution events. */
export type ExecutionEventType = ExecutionEvent['type'];

/** A pluggable consumer of events, added with `engine.addEventHandler`. */
export interface EventHandler {
  /** Called for every event, in `seq` order per execution. Errors are reported on `handlerError`. */
  handleEvent(event: ExecutionEvent): void | Promise<void>;
}

/** Listener signatures of the engine's typed emitter (`engine.on(type, listener)`). */
export interface EngineEvents {
  /** Emitted when an execution waits for a slot. */
  queued: (event: QueuedEvent) => void;
  /** Emitted when a process is spawned. */
  started: (event: StartedEvent) => void;
  /** Emitted for each stdout line (unless `streamOutput` is false). */
  stdout: (event: StdoutEvent) => void;
  /** Emitted for each stderr line (unless `streamOutput` is false). */
  stderr: (event: StderrEvent) => void;
  /** Emitted once when an execution's output first passes `maxOutputSizeBytes`. */
  outputTruncated: (event: OutputTruncatedEvent) => void;
  /** Emitted when a process exits by itself. */
  completed: (event: CompletedEvent) => void;
  /** Emitted when an execution fails. */
  failed: (event: FailedEvent) => void;
  /** Emitted when an execution times out. */
  timeout: (event: TimeoutEvent) => void;
  /** Emitted when an execution is cancelled. */
  cancelled: (event: CancelledEvent) => void;
  /** Emitted when recovery finds an execution of a previous host in the journal. */
  recovered: (event: RecoveredEvent) => void;
  /** Emitted for every execution event, after the typed one. */
  event: (event: ExecutionEvent) => void;
  /** Emitted when an event handler or listener throws or rejects; the execution is unaffected. */
  handlerError: (error: unknown, event: ExecutionEvent) => void;
}

/** True for the four terminal event types. */
export function isTerminalEvent(event: ExecutionEvent): event is TerminalEvent {
  return (TERMINAL_STATUSES as readonly string[]).includes(event.type);
}
