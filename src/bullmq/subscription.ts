import type { Redis } from 'ioredis';
import { EventQueue } from '../client/event-queue.js';
import { ExecutionNotFoundError } from '../errors.js';
import { type BatchedEvent, type ExecutionEvent, isTerminalEvent } from '../events/event-types.js';
import type { RedisKeys } from './redis-keys.js';
import type { StreamFollower } from './stream-follower.js';
import { after, decodeEntry, linesOf } from './wire.js';

/** What a subscription reads from. */
export interface SubscriptionSource {
  redis: Redis;
  keys: RedisKeys;
  follower: StreamFollower;
  /** Keeps Node alive while the subscription lasts; returns the release. */
  hold(): () => void;
}

/**
 * Replays an execution's stream from its first entry and follows it live through the one XREAD
 * of the follower (the replay and the live part are the same read, so there is no seam), skipping
 * what `afterSeq` saw; ends after the terminal event. A slow consumer holds the stream back
 * (bounded buffer).
 * @throws ExecutionNotFoundError on the first read when the execution is unknown.
 */
export async function* subscribeExecution(
  source: SubscriptionSource,
  id: string,
  options: { batched: boolean; afterSeq: number; signal: AbortSignal | undefined },
): AsyncGenerator<ExecutionEvent | BatchedEvent> {
  const release = source.hold();
  try {
    yield* follow(source, id, options);
  } finally {
    release();
  }
}

async function* follow(
  { redis, keys, follower }: SubscriptionSource,
  id: string,
  options: { batched: boolean; afterSeq: number; signal: AbortSignal | undefined },
): AsyncGenerator<ExecutionEvent | BatchedEvent> {
  if ((await redis.exists(keys.execution(id))) === 0) throw new ExecutionNotFoundError(id);
  const queue = new EventQueue<BatchedEvent>();
  const stop = follower.add({
    key: keys.stream(id),
    lastId: '0-0',
    deliver: (entries) => {
      let held: Promise<void> | undefined;
      for (const [, fields] of entries) {
        for (const event of decodeEntry(fields)) {
          const fresh = after(event, options.afterSeq);
          if (fresh !== undefined) held = queue.push(fresh) ?? held;
          if (event.type !== 'output' && isTerminalEvent(event as ExecutionEvent)) queue.end();
        }
      }
      return held;
    },
  });
  const { signal } = options;
  const onAbort = () => queue.end(signal?.reason);
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    for await (const event of queue) {
      if (options.batched || event.type !== 'output') yield event;
      else yield* linesOf(event);
    }
  } finally {
    signal?.removeEventListener('abort', onAbort);
    stop();
  }
}
