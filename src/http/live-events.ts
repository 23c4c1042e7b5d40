import type { BatchedEvent, ExecutionEvent } from '../events/event-types.js';
import type { PipelineEvent } from '../pipeline/pipeline-types.js';
import type { AnyEngine } from './http-options.js';
import { encodeEvent, HEARTBEAT, type StreamEvent } from './sse-format.js';
import type { StreamCounter } from './stream-counter.js';

/** One `/events` client: what it wants, and where its bytes go. */
interface LiveClient {
  wants: (event: StreamEvent) => boolean;
  push: (bytes: Uint8Array) => void;
}

/**
 * Every execution's and pipeline's events, live, fanned out to `/events` clients. One engine
 * handler per lines mode (and one `pipeline` listener), added while someone listens; each event
 * is encoded once for every client.
 */
export class LiveEvents {
  readonly #engine: AnyEngine;
  readonly #clients = { each: new Set<LiveClient>(), batched: new Set<LiveClient>() };
  readonly #remove: { each?: (() => void) | undefined; batched?: (() => void) | undefined } = {};
  readonly #onPipeline = (event: PipelineEvent) => {
    this.#fanOut(this.#clients.each, event);
    this.#fanOut(this.#clients.batched, event);
  };

  constructor(engine: AnyEngine) {
    this.#engine = engine;
  }

  /** Adds a client; returns the function that removes it. */
  add(mode: 'each' | 'batched', client: LiveClient): () => void {
    const clients = this.#clients[mode];
    if (this.#clients.each.size + this.#clients.batched.size === 0)
      this.#engine.on('pipeline', this.#onPipeline);
    clients.add(client);
    if (this.#remove[mode] === undefined) {
      const handler = { handleEvent: (event: ExecutionEvent | BatchedEvent) => this.#fanOut(clients, event) };
      this.#remove[mode] =
        mode === 'batched'
          ? this.#engine.addEventHandler(handler, { lines: 'batched' })
          : this.#engine.addEventHandler(handler);
    }
    return () => {
      clients.delete(client);
      if (clients.size === 0) {
        this.#remove[mode]?.();
        this.#remove[mode] = undefined;
      }
      if (this.#clients.each.size + this.#clients.batched.size === 0) {
        this.#engine.off('pipeline', this.#onPipeline);
      }
    };
  }

  #fanOut(clients: Set<LiveClient>, event: StreamEvent): void {
    let bytes: Uint8Array | undefined;
    for (const client of clients) {
      if (!client.wants(event)) continue;
      bytes ??= encodeEvent(event);
      client.push(bytes);
    }
  }
}

/** How a live stream is kept. */
export interface LiveStreamOptions {
  hub: LiveEvents;
  mode: 'each' | 'batched';
  wants: (event: StreamEvent) => boolean;
  heartbeatMs: number;
  /** Unsent bytes past which the client is disconnected. */
  maxBufferedBytes: number;
  counter: StreamCounter;
}

/**
 * Live events as a byte stream of SSE messages. Events are pushed as they happen; a client whose
 * unsent bytes pass `maxBufferedBytes` is disconnected, so a client that does not read costs at
 * most that much memory.
 */
export function liveStream(options: LiveStreamOptions): ReadableStream<Uint8Array> {
  const { hub, mode, wants, heartbeatMs, maxBufferedBytes, counter } = options;
  let remove: (() => void) | undefined;
  let timer: ReturnType<typeof setInterval> | undefined;
  const finish = () => {
    if (remove === undefined) return;
    remove();
    remove = undefined;
    clearInterval(timer);
    counter.remove();
  };
  counter.add();
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        const push = (bytes: Uint8Array) => {
          if (remove === undefined) return;
          if ((controller.desiredSize ?? 0) < -maxBufferedBytes) {
            finish();
            controller.error(new Error('The client did not keep up'));
            return;
          }
          controller.enqueue(bytes);
        };
        remove = hub.add(mode, { wants, push });
        timer = setInterval(() => push(HEARTBEAT), heartbeatMs);
        (timer as { unref?: () => void }).unref?.();
        controller.enqueue(HEARTBEAT); // sends the headers and opens the stream at once
      },
      cancel() {
        finish();
      },
    },
    new ByteLengthQueuingStrategy({ highWaterMark: 0 }),
  );
}
