import type { EventEmitter } from 'eventemitter3';
import type { EngineEvents, EventHandler, ExecutionEvent } from './event-types.js';

/**
 * Delivers events to the engine's typed listeners and to pluggable handlers. A handler that
 * throws or rejects is isolated: the other handlers still get the event, the execution is
 * unaffected, and the error is reported on `handlerError`.
 */
export class EventBus {
  readonly #emitter: EventEmitter<EngineEvents>;
  readonly #handlers = new Set<EventHandler>();
  readonly #taps = new Set<(event: ExecutionEvent) => void>();
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

  /** Adds an internal observer (e.g. a subscription) that sees every event first. */
  addTap(tap: (event: ExecutionEvent) => void): () => void {
    this.#taps.add(tap);
    return () => {
      this.#taps.delete(tap);
    };
  }

  /** True when someone would receive an event of `type`; lets the hot path skip building it. */
  wants(type: ExecutionEvent['type']): boolean {
    return (
      this.#handlers.size > 0 ||
      this.#taps.size > 0 ||
      this.#emitter.listenerCount(type) > 0 ||
      this.#emitter.listenerCount('event') > 0
    );
  }

  emit(event: ExecutionEvent): void {
    for (const tap of this.#taps) tap(event);
    this.#emitTo(event.type, event);
    this.#emitTo('event', event);
    for (const handler of this.#handlers) {
      try {
        const returned = handler.handleEvent(event);
        if (returned !== undefined && typeof (returned as Promise<void>).then === 'function') {
          (returned as Promise<void>).then(undefined, (error: unknown) => this.#report(error, event));
        }
      } catch (error) {
        this.#report(error, event);
      }
    }
  }

  /**
   * Typed listeners keep EventEmitter semantics: they run in order and one that throws stops the
   * later ones for that event. The throw never reaches the execution; it goes to `handlerError`.
   */
  #emitTo(name: ExecutionEvent['type'] | 'event', event: ExecutionEvent): void {
    const emitter = this.#emitter as unknown as EventEmitter<string>;
    if (emitter.listenerCount(name) === 0) return;
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
