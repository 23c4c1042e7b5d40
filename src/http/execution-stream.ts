import { encodeEvent, HEARTBEAT, type StreamEvent, sseMessage } from './sse-format.js';
import type { StreamCounter } from './stream-counter.js';

/** Bytes queued in a stream before it stops reading the engine (the client sets the pace). */
const HIGH_WATER_BYTES = 64 * 1024;
/** Open streams by execution (or pipeline) id: with more than one, they share each event's encoding. */
const openStreams = new Map<string, number>();

/** How an execution's stream is opened and kept. */
export interface ExecutionStreamOptions {
  executionId: string;
  /** The subscription, from `afterSeq`; released by aborting the signal. */
  open: (signal: AbortSignal) => AsyncIterable<StreamEvent>;
  /** The `Last-Event-ID` the client resumes after, if any. */
  afterSeq: number | undefined;
  heartbeatMs: number;
  counter: StreamCounter;
}

/**
 * An execution's (or a pipeline's) events as a byte stream of SSE messages, read from the engine's retained log at
 * the client's pace: a slow client holds a cursor, never a growing buffer. A client that takes
 * nothing for two heartbeats while data waits is disconnected (it resumes with `Last-Event-ID`).
 * Cancelling the stream (the client went away) releases the subscription at once.
 */
export function executionStream(options: ExecutionStreamOptions): ReadableStream<Uint8Array> {
  const { executionId, afterSeq, heartbeatMs, counter } = options;
  const abort = new AbortController();
  const iterator = options.open(abort.signal)[Symbol.asyncIterator]();
  let first = true;
  let pulled = true;
  let stalls = 0;
  let timer: ReturnType<typeof setInterval> | undefined;
  let finished = false;
  const finish = () => {
    if (finished) return;
    finished = true;
    clearInterval(timer);
    abort.abort();
    const others = openStreams.get(executionId)! - 1;
    if (others === 0) openStreams.delete(executionId);
    else openStreams.set(executionId, others);
    void Promise.resolve(iterator.return?.())
      .catch(() => {})
      .finally(() => counter.remove());
  };
  counter.add();
  openStreams.set(executionId, (openStreams.get(executionId) ?? 0) + 1);
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        timer = setInterval(() => {
          const full = (controller.desiredSize ?? 1) <= 0;
          stalls = full && !pulled ? stalls + 1 : 0;
          pulled = false;
          if (stalls >= 2) {
            finish();
            controller.error(new Error('The client did not keep up'));
          } else if (!full) {
            controller.enqueue(HEARTBEAT);
          }
        }, heartbeatMs);
        (timer as { unref?: () => void }).unref?.();
      },
      async pull(controller) {
        pulled = true;
        try {
          const { done, value } = await iterator.next();
          if (finished) return;
          if (done) {
            finish();
            controller.close();
            return;
          }
          if (first && afterSeq !== undefined && value.seq > afterSeq + 1) {
            controller.enqueue(
              sseMessage('resync', { executionId, lastEventId: afterSeq, nextSeq: value.seq }),
            );
          }
          first = false;
          controller.enqueue(encodeEvent(value, openStreams.get(executionId)! > 1));
        } catch (error) {
          if (finished) return;
          finish();
          controller.error(error);
        }
      },
      cancel() {
        finish();
      },
    },
    new ByteLengthQueuingStrategy({ highWaterMark: HIGH_WATER_BYTES }),
  );
}
