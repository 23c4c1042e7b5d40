import type { ClientEventType } from '../client/engine-client.js';
import type { BatchedEvent, EngineEvents, ExecutionEvent } from '../events/event-types.js';
import type {
  PipelineEvent,
  PipelineListFilter,
  PipelineResult,
  PipelineSnapshot,
  PipelineSpec,
} from '../pipeline/pipeline-types.js';
import type {
  EngineStats,
  ExecutionMetadata,
  ExecutionRequest,
  ExecutionResult,
  ExecutionSnapshot,
  ListFilter,
} from '../types.js';

/**
 * An error as it reaches the renderer: a plain object, because an `Error` crossing contextBridge
 * keeps only its message. `code` is the engine's (`INVALID_REQUEST`, `EXECUTION_NOT_FOUND`, ...).
 */
export interface BridgeError {
  name: string;
  message: string;
  code?: string;
  /** The offending field of an `INVALID_REQUEST`. */
  field?: string;
  executionId?: string;
  /** The result of a failed `run` (`COMMAND_FAILED`) or `runPipeline` (`PIPELINE_FAILED`). */
  result?: unknown;
}

/** Options of {@link EngineBridge.subscribe}. */
export interface BridgeSubscribeOptions {
  /** `'batched'`: `output` events carry consecutive lines instead of one event per line. @default 'each' */
  lines?: 'each' | 'batched' | undefined;
  /** Replay only the events after this `seq`. */
  afterSeq?: number | undefined;
  /** Called once if the subscription fails (unknown id, connection lost). @default console.error */
  onError?: ((error: BridgeError) => void) | undefined;
}

/** Removes what was added; calling it again does nothing. */
export type Unsubscribe = () => void;

/**
 * The engine as a renderer sees it on `window.engine` ({@link exposeEngineClient}): plain
 * functions returning promises, and listeners that return their unsubscribe function. Everything
 * here survives contextBridge (no class instances, no async iterators, no removal by reference).
 * Promises reject with a {@link BridgeError}.
 */
export interface EngineBridge<Meta extends ExecutionMetadata = ExecutionMetadata> {
  execute(request: ExecutionRequest<Meta>): Promise<string>;
  /** Runs a command and waits for it; rejects with `code: 'COMMAND_FAILED'` and the `result` unless it succeeded. */
  run(request: ExecutionRequest<Meta>): Promise<ExecutionResult<Meta>>;
  waitForCompletion(id: string, options?: { timeoutMs?: number }): Promise<ExecutionResult<Meta>>;
  getExecution(id: string): Promise<ExecutionSnapshot<Meta>>;
  getResult(id: string): Promise<ExecutionResult<Meta> | undefined>;
  list(filter?: ListFilter): Promise<ExecutionSnapshot<Meta>[]>;
  cancel(id: string, reason?: string): Promise<boolean>;
  removeExecution(id: string): Promise<boolean>;
  writeInput(id: string, data: string | Uint8Array): Promise<void>;
  closeInput(id: string): Promise<void>;
  stats(): Promise<EngineStats>;
  /**
   * Replays an execution's events to `listener`, then follows it live until its terminal event.
   * Returns the function that stops delivery and releases the subscription in the main process.
   */
  subscribe(
    id: string,
    listener: (event: ExecutionEvent<Meta> | BatchedEvent<Meta>) => void,
    options?: BridgeSubscribeOptions,
  ): Unsubscribe;
  startPipeline(spec: PipelineSpec<Meta>): Promise<string>;
  runPipeline(spec: PipelineSpec<Meta>): Promise<PipelineResult<Meta>>;
  waitForPipeline(id: string, options?: { timeoutMs?: number }): Promise<PipelineResult<Meta>>;
  getPipeline(id: string): Promise<PipelineSnapshot>;
  listPipelines(filter?: PipelineListFilter): Promise<PipelineSnapshot[]>;
  cancelPipeline(id: string, reason?: string): Promise<boolean>;
  /** Like `subscribe`, for a pipeline's events, until its final event. */
  subscribePipeline(
    id: string,
    listener: (event: PipelineEvent) => void,
    options?: Omit<BridgeSubscribeOptions, 'lines'>,
  ): Unsubscribe;
  /** Listens to every execution's events of `type` (live only); returns the unsubscribe function. */
  on<T extends ClientEventType>(type: T, listener: EngineEvents<Meta>[T]): Unsubscribe;
  /** Ends every subscription and closes the port. */
  close(): Promise<void>;
}
