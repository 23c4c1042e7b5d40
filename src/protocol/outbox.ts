import type { MessageChannelTransport } from './message-transport.js';

/** Queued bytes past which a subscription stops reading the engine until they are sent. */
export const HIGH_WATER_BYTES = 1024 * 1024;

/**
 * Outgoing messages of one connection. With `flushIntervalMs` 0 each goes at once; otherwise
 * notifications are coalesced into one JSON-RPC batch array per interval (sooner once the batch
 * holds {@link HIGH_WATER_BYTES}), and a response flushes the batch with it, keeping the order.
 */
export class Outbox {
  readonly #transport: MessageChannelTransport;
  readonly #intervalMs: number;
  #batch: unknown[] = [];
  #batchBytes = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #waiters: (() => void)[] = [];
  #closed = false;
  readonly #stopDrain: (() => void) | undefined;

  constructor(transport: MessageChannelTransport, flushIntervalMs: number) {
    this.#transport = transport;
    this.#intervalMs = flushIntervalMs;
    this.#stopDrain = transport.onDrain?.(() => this.#wake());
  }

  /** Bytes queued here or in the transport, not yet sent (estimates for queued notifications). */
  get pendingBytes(): number {
    return this.#batchBytes + (this.#transport.bufferedAmount?.() ?? 0);
  }

  /** Sends a response (or a batch's responses), after the notifications queued before it. */
  respond(message: unknown): void {
    if (this.#closed) return;
    if (this.#batch.length === 0) {
      this.#send(message);
      return;
    }
    if (Array.isArray(message)) this.#batch.push(...message);
    else this.#batch.push(message);
    this.flush();
  }

  /** Sends a notification (or queues it into the next batch); `bytes` estimates its size. */
  notify(message: unknown, bytes: number): void {
    if (this.#closed) return;
    if (this.#intervalMs === 0) {
      this.#send(message);
      return;
    }
    this.#batch.push(message);
    this.#batchBytes += bytes;
    if (this.#batchBytes >= HIGH_WATER_BYTES) this.flush();
    else if (this.#timer === undefined) {
      this.#timer = setTimeout(() => this.flush(), this.#intervalMs);
      this.#timer.unref?.();
    }
  }

  /** Sends the queued batch now. */
  flush(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#batch.length === 0) return;
    const batch = this.#batch;
    this.#batch = [];
    this.#batchBytes = 0;
    this.#send(batch);
    this.#wake();
  }

  /**
   * `undefined` while little waits to be sent; otherwise a promise resolving once the transport
   * has written enough out (a subscription awaits it before reading on).
   */
  ready(): Promise<void> | undefined {
    if (this.#closed || this.pendingBytes < HIGH_WATER_BYTES) return undefined;
    return new Promise<void>((resolve) => this.#waiters.push(resolve)).then(() => this.ready());
  }

  /** Drops what is queued and releases every waiter. */
  close(): void {
    this.#closed = true;
    clearTimeout(this.#timer);
    this.#batch = [];
    this.#batchBytes = 0;
    this.#stopDrain?.();
    this.#wake();
  }

  #send(message: unknown): void {
    try {
      this.#transport.send(message);
    } catch {
      // The channel is gone (EPIPE, a closed port): its close listener releases everything.
    }
  }

  #wake(): void {
    for (const resolve of this.#waiters.splice(0)) resolve();
  }
}
