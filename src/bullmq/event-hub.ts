import type { Redis } from 'ioredis';
import type { EventBus } from '../events/event-bus.js';
import { type BatchedEvent, type ExecutionEvent, isTerminalEvent } from '../events/event-types.js';
import type { ExecutionResult } from '../types.js';
import type { StreamFollower } from './stream-follower.js';
import { decodeEntry, linesOf } from './wire.js';

type Waiter = (result: ExecutionResult) => void;

/**
 * Follows the engine-wide event stream from the moment it starts (not its history): delivers
 * every worker's events to the engine's listeners and handlers (lines expanded from `output`
 * batches as the local engine does), and terminal events to whoever waits for a result.
 */
export class EventHub {
  readonly #bus: EventBus;
  readonly #waiters = new Map<string, Set<Waiter>>();
  #started: Promise<void> | undefined;
  /** Sees every event but `output` batches first (pipelines follow their steps here). */
  tap: ((event: ExecutionEvent) => void) | undefined;

  constructor(bus: EventBus) {
    this.#bus = bus;
  }

  /** Starts following (once); resolves when every event written from now on will be seen. */
  start(redis: Redis, follower: StreamFollower, key: string): Promise<void> {
    this.#started ??= (async () => {
      const last = (await redis.call('XREVRANGE', key, '+', '-', 'COUNT', 1)) as [string, string[]][];
      follower.add({
        key,
        lastId: last[0]?.[0] ?? '0-0',
        deliver: (entries) => {
          for (const [, fields] of entries) for (const event of decodeEntry(fields)) this.#dispatch(event);
          return undefined;
        },
      });
    })();
    this.#started.catch(() => {
      this.#started = undefined;
    });
    return this.#started;
  }

  /** Calls `waiter` with the result of `id` when its terminal event arrives; returns the remover. */
  wait(id: string, waiter: Waiter): () => void {
    let set = this.#waiters.get(id);
    if (set === undefined) {
      set = new Set();
      this.#waiters.set(id, set);
    }
    set.add(waiter);
    return () => {
      set.delete(waiter);
      if (set.size === 0 && this.#waiters.get(id) === set) this.#waiters.delete(id);
    };
  }

  #dispatch(event: BatchedEvent): void {
    if (event.type === 'output') {
      if (this.#bus.wantsBatches()) this.#bus.emitBatch(event);
      if (this.#bus.wants(event.stream)) for (const line of linesOf(event)) this.#bus.emit(line);
      return;
    }
    this.tap?.(event);
    this.#bus.emit(event);
    if (!isTerminalEvent(event)) return;
    const waiters = this.#waiters.get(event.executionId);
    if (waiters === undefined) return;
    this.#waiters.delete(event.executionId);
    for (const waiter of waiters) waiter(event.result);
  }
}
