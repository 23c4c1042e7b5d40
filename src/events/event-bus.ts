import type { EventEmitter } from 'eventemitter3';
import type { EngineEvents, EventHandler, ExecutionEvent } from './event-types.js';

/** Unsettled async handler calls per execution at which its output is paused. */
const HIGH_WATER = 1000;
/** ...and at which it resumes. */
const LOW_WATER = 100;

/**
 * Delivers events to the engine's typed listeners and to pluggable handlers. A handler that
 * throws or rejects is isolated: the other handlers still get the event, the execution is
 * unaffected, and the error is reported on `handlerError`.
 */
export class EventBus {
  readonly #emitter: EventEmitter<EngineEvents>;
  readonly #handlers = new Set<EventHandler>();
  /** Unsettled promises returned by async handlers, per execution. */
  readonly #inflight = new Map<string, number>();
  readonly #paused = new Set<string>();
  /** Asked to pause (true) or resume (false) an execution's output while handlers lag. */
  onPressure: ((executionId: string, paused: boolean) => void) | undefined;
  #warned = false;

  constructor(emitter: EventEmitter<EngineEvents>) {
    this.#emitter = emitter;
  }

  /** Adds a handler; returns the function that removes it. */
  addHandler(handler: EventHandler): () => void {
    this.#handlers.add(handler);
    return () => {
      this.#handlers.delete(handler);
    };
  }

  /** True when someone would receive an event of `type`; lets the hot path skip building it. */
  wants(type: ExecutionEvent['type']): boolean {
    return (
      this.#handlers.size > 0 ||
      this.#emitter.listenerCount(type) > 0 ||
      this.#emitter.listenerCount('event') > 0
    );
  }

  emit(event: ExecutionEvent): void {
    this.#emitTo(event.type, event);
    this.#emitTo('event', event);
    if (this.#handlers.size === 0) return;
    for (const handler of this.#handlers) {
      try {
        const returned = handler.handleEvent(event);
        if (returned !== undefined && typeof (returned as Promise<void>).then === 'function') {
          this.#track(event.executionId, returned as Promise<void>, event);
        }
      } catch (error) {
        this.#report(error, event);
      }
    }
  }

  /**
   * Counts an async handler's promise. Past HIGH_WATER unsettled promises for one execution its
   * output is paused (the process blocks on a full pipe) until they fall to LOW_WATER, so a slow
   * handler cannot make memory grow without bound.
   */
  #track(executionId: string, promise: Promise<void>, event: ExecutionEvent): void {
    const count = (this.#inflight.get(executionId) ?? 0) + 1;
    this.#inflight.set(executionId, count);
    if (count >= HIGH_WATER && !this.#paused.has(executionId)) {
      this.#paused.add(executionId);
      this.onPressure?.(executionId, true);
    }
    const settle = () => {
      const left = (this.#inflight.get(executionId) ?? 1) - 1;
      if (left === 0) this.#inflight.delete(executionId);
      else this.#inflight.set(executionId, left);
      if (left <= LOW_WATER && this.#paused.delete(executionId)) this.onPressure?.(executionId, false);
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
  #emitTo(name: ExecutionEvent['type'] | 'event', event: ExecutionEvent): void {
    const emitter = this.#emitter as unknown as EventEmitter<string>;
    try {
      emitter.emit(name, event);
    } catch (error) {
      this.#report(error, event);
    }
  }

  #report(error: unknown, event: ExecutionEvent): void {
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
      `An execution-engine event handler failed on a \`${event.type}\` event: ${message}. Listen to \`handlerError\` to handle these.`,
      { code: 'EXECUTION_ENGINE_HANDLER_ERROR' },
    );
  }
}
