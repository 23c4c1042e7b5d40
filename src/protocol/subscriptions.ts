import { notification, toRpcError } from './json-rpc.js';
import { listenLive } from './live-subscription.js';
import type { Outbox } from './outbox.js';
import type { AnyEngine } from './serve-options.js';
import { estimateBytes, portableEvent, type StreamEvent } from './wire-event.js';

/** One open subscription. */
interface Subscription {
  abort: AbortController;
  /** Events the client may hold unacknowledged (`window`), or unlimited. */
  window: number | undefined;
  sent: number;
  acked: number;
  /** Wakes a pump waiting for an `ack`. */
  wake: (() => void) | undefined;
  done: Promise<void>;
}

/**
 * The subscriptions of one connection. An execution's or a pipeline's is a pump reading the
 * engine's retained events at the client's pace: it waits while the connection's unsent bytes
 * pass the high water, and while `window` events are unacknowledged (`ack { subscription, count }`).
 * An engine-wide one is live: past `maxPendingBytes` unsent (or 8 windows unacknowledged) it is
 * dropped with `subscriptionError`.
 */
export class Subscriptions {
  readonly #engine: AnyEngine;
  readonly #outbox: Outbox;
  readonly #maxPendingBytes: number;
  readonly #open = new Map<string, Subscription>();
  #next = 1;

  constructor(engine: AnyEngine, outbox: Outbox, maxPendingBytes: number) {
    this.#engine = engine;
    this.#outbox = outbox;
    this.#maxPendingBytes = maxPendingBytes;
  }

  /** Open subscriptions. */
  get size(): number {
    return this.#open.size;
  }

  /** Follows `open(signal)` (events in order, ending after the last); returns the subscription id. */
  follow(open: (signal: AbortSignal) => AsyncIterable<StreamEvent>, window: number | undefined): string {
    const id = String(this.#next++);
    const abort = new AbortController();
    const events = open(abort.signal); // throws now for an unknown id or bad options
    const subscription: Subscription = {
      abort,
      window,
      sent: 0,
      acked: 0,
      wake: undefined,
      done: Promise.resolve(),
    };
    this.#open.set(id, subscription);
    // After the answer carrying the id has gone out: the client knows the id before its events.
    subscription.done = new Promise<void>((resolve) => setImmediate(resolve)).then(() =>
      this.#pump(id, subscription, events),
    );
    return id;
  }

  /** Every execution's and pipeline's events of `types`, live; returns the subscription id. */
  live(types: Set<string> | undefined, lines: 'each' | 'batched', window: number | undefined): string {
    const id = String(this.#next++);
    const abort = new AbortController();
    const subscription: Subscription = {
      abort,
      window,
      sent: 0,
      acked: 0,
      wake: undefined,
      done: Promise.resolve(),
    };
    const maxUnacked = window === undefined ? Number.POSITIVE_INFINITY : window * 8;
    const listen = () =>
      listenLive(this.#engine, types, lines, (event) => {
        if (abort.signal.aborted) return;
        if (
          this.#outbox.pendingBytes > this.#maxPendingBytes ||
          subscription.sent - subscription.acked > maxUnacked
        ) {
          this.#drop(id, {
            code: 'SUBSCRIPTION_OVERFLOW',
            message: `The client did not keep up: over ${this.#maxPendingBytes} bytes unsent; subscribe again`,
          });
          return;
        }
        subscription.sent++;
        this.#outbox.notify(
          notification('event', { subscription: id, event: portableEvent(event) }),
          estimateBytes(event),
        );
      });
    // Live from just after the answer carrying the id has gone out.
    setImmediate(() => {
      if (abort.signal.aborted) return;
      abort.signal.addEventListener('abort', listen(), { once: true });
    });
    this.#open.set(id, subscription);
    return id;
  }

  /** The client has handled `count` more events of `id`. */
  ack(id: string, count: number): void {
    const subscription = this.#open.get(id);
    if (subscription === undefined) return;
    subscription.acked += count;
    const wake = subscription.wake;
    subscription.wake = undefined;
    wake?.();
  }

  /** Ends subscription `id`; `false` if it had ended. */
  unsubscribe(id: string): boolean {
    const subscription = this.#open.get(id);
    if (subscription === undefined) return false;
    this.#open.delete(id);
    subscription.abort.abort();
    subscription.wake?.();
    return true;
  }

  /** Ends every subscription; resolves once their pumps have stopped. */
  async closeAll(): Promise<void> {
    const all = [...this.#open.values()];
    for (const id of [...this.#open.keys()]) this.unsubscribe(id);
    await Promise.all(all.map((subscription) => subscription.done));
  }

  #drop(id: string, error: { code: string; message: string }): void {
    if (!this.unsubscribe(id)) return;
    this.#outbox.notify(notification('subscriptionError', { subscription: id, error }), 200);
  }

  async #pump(id: string, subscription: Subscription, events: AsyncIterable<StreamEvent>): Promise<void> {
    const { signal } = subscription.abort;
    try {
      for await (const event of events) {
        if (signal.aborted) break;
        subscription.sent++;
        this.#outbox.notify(
          notification('event', { subscription: id, event: portableEvent(event) }),
          estimateBytes(event),
        );
        await this.#outbox.ready();
        while (
          !signal.aborted &&
          subscription.window !== undefined &&
          subscription.sent - subscription.acked >= subscription.window
        ) {
          this.#outbox.flush(); // the client acknowledges what it has: hold nothing back meanwhile
          await new Promise<void>((resolve) => {
            subscription.wake = resolve;
          });
        }
      }
      this.#open.delete(id);
    } catch (error) {
      if (!signal.aborted) this.#drop(id, toRpcError(error).data);
    }
  }
}
