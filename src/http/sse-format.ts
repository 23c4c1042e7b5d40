import { lastSeqOf, type StreamEvent, wireEvent } from '../protocol/wire-event.js';

export type { StreamEvent };

const encoder = new TextEncoder();

/** Response headers of every event stream. */
export const SSE_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache, no-transform',
  'x-accel-buffering': 'no',
});

/** The comment line sent when a stream has been idle, so proxies keep it open. */
export const HEARTBEAT = encoder.encode(': heartbeat\n\n');

/** One SSE message: `id`, `event`, `data` (JSON never holds a raw line break). */
export function sseMessage(type: string, data: unknown, id?: number): Uint8Array {
  const head = id === undefined ? '' : `id: ${id}\n`;
  return encoder.encode(`${head}event: ${type}\ndata: ${JSON.stringify(data)}\n\n`);
}

/** An event as one SSE message. */
export function encodeEvent(event: StreamEvent): Uint8Array {
  return sseMessage(event.type, wireEvent(event), lastSeqOf(event));
}
