import type { EventEmitter } from 'eventemitter3';
import type { PipelineEvent } from '../pipeline/pipeline-types.js';
import {
  type BatchedEventHandler,
  type EngineEvents,
  type EventHandler,
  type ExecutionEvent,
  isTerminalEvent,
  type OutputEvent,
  type StderrEvent,
  type StdoutEvent,
} from './event-types.js';

/** Unsettled async handler calls per execution at which its output is paused. */
const HIGH_WATER = 1000;
/** ...and at which it resumes. */
const LOW_WATER = 100;

/** Unsettled async handler promises of one execution, and whether its output is paused for them. */
interface Tracking {
  inflight: number;
  paused: boolean;
}

/** The bus of each engine (by its emitter), for {@link trackedExecutionCount}. */
const buses = new WeakMap<object, EventBus>();

/** An event as delivered: an execution event, an `output` batch or a pipeline's event. */
type AnyEvent = ExecutionEvent | OutputEvent | PipelineEvent;

/**
 * Delivers events to the engine's typed listeners and to pluggable handlers. Handlers added
 * `batched` get `output` batches instead of `stdout`/`stderr` line events. A handler that
 * throws or rejects is isolated: the other handlers still get the event, the execution is
 * unaffected, and the error is reported on `handlerError`.
 */
export class EventBus {
  readonly #emitter: EventEmitter<EngineEvents>;
  /** Every handler, in the order added, and whether it takes `output` batches. */
  readonly #handlers = new Map<EventHandler | BatchedEventHandler, boolean>();
  /** How many handlers take line events, and how many take batches. */
  #each = 0;
  #batched = 0;
  /**
   * Unsettled promises returned by async handlers, per execution; dropped at its terminal event,
   * so promises that never settle cannot make it grow with every execution.
   */
  readonly #tracking = new Map<string, Tracking>();
  /** Asked to pause (true) or resume (false) an execution's output while handlers lag. */
  onPressure: ((executionId: string, paused: boolean) => void) | undefined;
  /**
   * Sees every execution event but lines, before listeners and handlers do: debug logging and
   * tracing hook in here (see `src/observe/`).
   */
  tap: ((event: ExecutionEvent) => void) | undefined;
  #warned = false;

  constructor(emitter: EventEmitter<EngineEvents>) {
    this.#emitter = emitter;
    buses.set(emitter, this);
  }

  /** @internal How many executions have handler promises tracked (for tests). */
  get trackedExecutions(): number {
    return this.#tracking.size;
  }

  /**
   * Adds a handler, `batched` to get `output` batches instead of line events; returns the function
   * that removes it.
   */
  addHandler(handler: EventHandler | BatchedEventHandler, batched = false): () => void {
    this.#handlers.set(handler, batched);
    this.#count();
    return () => {
      this.#handlers.delete(handler);
      this.#count();
    };
  }

  #count(): void {
    let batched = 0;
    for (const isBatched of this.#handlers.values()) if (isBatched) batched++;
    this.#batched = batched;
    this.#each = this.#handlers.size - batched;
  }

  /** True when someone would receive an event of `type`; lets the hot path skip building it. */
  wants(type: ExecutionEvent['type']): boolean {
    const handlers = type === 'stdout' || type === 'stderr' ? this.#each : this.#handlers.size;
    return handlers > 0 || this.#emitter.listenerCount(type) > 0 || this.#emitter.listenerCount('event') > 0;
  }

  /** True when someone takes `output` batches: `output` listeners or batched handlers. */
  wantsBatches(): boolean {
    return this.#batched > 0 || this.#emitter.listenerCount('output') > 0;
  }

  /** Delivers an `output` batch to `output` listeners and batched handlers (never to `event`). */
  emitBatch(event: OutputEvent): void {
    this.#emitTo('output', event);
    if (this.#batched === 0) return;
    for (const [handler, batched] of this.#handlers) {
      if (batched) this.#call(handler, event);
    }
  }

  /**
   * Delivers a `stdout`/`stderr` line event: the hot path of per-line output, so it skips what a
   * line can never need (batched handlers, the terminal-event bookkeeping) and walks the handlers
   * only when there are some that take lines.
   */
  emitLine(event: StdoutEvent | StderrEvent): void {
    this.#emitTo(event.type, event);
    this.#emitTo('event', event);
    if (this.#each === 0) return;
    for (const [handler, batched] of this.#handlers) {
      if (!batched) this.#call(handler, event);
    }
  }

  emit(event: ExecutionEvent): void {
    this.tap?.(event);
    this.#emitTo(event.type, event);
    this.#emitTo('event', event);
    const line = event.type === 'stdout' || event.type === 'stderr';
    for (const [handler, batched] of this.#handlers) {
      if (!(line && batched)) this.#call(handler, event);
    }
    // Nothing follows the terminal event: stop tracking; later settles for it are no-ops.
    if (isTerminalEvent(event)) this.#tracking.delete(event.executionId);
  }

  /** Delivers a pipeline's event to `pipeline` listeners (a throwing one is reported on `handlerError`). */
  emitPipeline(event: PipelineEvent): void {
    this.#emitTo('pipeline', event);
  }

  #call(handler: EventHandler | BatchedEventHandler, event: AnyEvent): void {
    try {
      const returned = (handler as { handleEvent(event: AnyEvent): void | Promise<void> }).handleEvent(event);
      if (returned !== undefined && typeof (returned as Promise<void>).then === 'function') {
        this.#track((event as ExecutionEvent).executionId, returned as Promise<void>, event);
      }
    } catch (error) {
      this.#report(error, event);
    }
  }

  /**
   * Counts an async handler's promise. Past HIGH_WATER unsettled promises for one execution its
   * output is paused (the process blocks on a full pipe) until they fall to LOW_WATER, so a slow
   * handler cannot make memory grow without bound.
   */
  #track(executionId: string, promise: Promise<void>, event: AnyEvent): void {
    let tracking = this.#tracking.get(executionId);
    if (tracking === undefined) {
      tracking = { inflight: 0, paused: false };
      this.#tracking.set(executionId, tracking);
    }
    const own = tracking;
    own.inflight++;
    if (own.inflight >= HIGH_WATER && !own.paused) {
      own.paused = true;
      this.onPressure?.(executionId, true);
    }
    const settle = () => {
      own.inflight--;
      // Terminal already (or the id now names another execution): nothing to update.
      if (this.#tracking.get(executionId) !== own) return;
      if (own.paused && own.inflight <= LOW_WATER) {
        own.paused = false;
        this.onPressure?.(executionId, false);
      }
      if (own.inflight === 0) this.#tracking.delete(executionId);
    };
    promise.then(settle, (error: unknown) => {
      settle();
      this.#report(error, event);
    });
  }

  /**
   * Typed listeners keep EventEmitter semantics: they run in order and one that throws stops the
   * later ones for that event. The throw never reaches the execution; it goes to `handlerError`.
   */
  #emitTo(name: AnyEvent['type'] | 'event', event: AnyEvent): void {
    const emitter = this.#emitter as unknown as EventEmitter<string>;
    try {
      emitter.emit(name, event);
    } catch (error) {
      this.#report(error, event);
    }
  }

  /**
   * Reports an error of the user's code run for an execution (a progress parser's, `source`) on
   * `handlerError`, as a throwing handler's.
   */
  reportError(error: unknown, event: AnyEvent, source: string): void {
    this.#report(error, event, source);
  }

  #report(error: unknown, event: AnyEvent, source = 'event handler'): void {
    if (this.#emitter.listenerCount('handlerError') > 0) {
      try {
        this.#emitter.emit('handlerError', error, event);
        return;
      } catch {
        // A throwing handlerError listener falls through to the warning below.
      }
    }
    if (this.#warned) return;
    this.#warned = true;
    const message = error instanceof Error ? error.message : String(error);
    process.emitWarning(
      `An execution-engine ${source} failed on a \`${event.type}\` event: ${message}. Listen to \`handlerError\` to handle these.`,
      { code: 'EXECUTION_ENGINE_HANDLER_ERROR' },
    );
  }
}

/**
 * @internal For tests: how many executions the bus of `engine` tracks handler promises for. Stays
 * bounded by the executions not yet terminal.
 */
export function trackedExecutionCount(engine: object): number {
  return buses.get(engine)?.trackedExecutions ?? 0;
}
