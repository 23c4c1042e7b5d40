import type { Redis } from 'ioredis';
import { ExecutionNotFoundError, WaitTimeoutError } from '../errors.js';
import type { ExecutionResult } from '../types.js';
import type { EventHub } from './event-hub.js';
import type { RedisKeys } from './redis-keys.js';
import { decodeResult } from './wire.js';

/**
 * Resolves with the result of `id`: from its terminal event on the engine-wide stream (the hub
 * follows it already), or from its record when it had ended before the wait began (read after
 * the waiter is registered, so an end between the two is not missed). `release` is called once,
 * when the wait settles.
 * @throws ExecutionNotFoundError, WaitTimeoutError after `timeoutMs`, the signal's reason.
 */
export function waitForResult(
  source: { hub: EventHub; redis: Redis; keys: RedisKeys },
  id: string,
  options: { timeoutMs: number | undefined; signal: AbortSignal | undefined },
  release: () => void,
): Promise<ExecutionResult> {
  const { hub, redis, keys } = source;
  const { timeoutMs, signal } = options;
  return new Promise((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    let settled = false;
    const done = (settle: () => void) => {
      if (settled) return;
      settled = true;
      release();
      remove();
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      settle();
    };
    const remove = hub.wait(id, (result) => done(() => resolve(result)));
    const onAbort = () => done(() => reject(signal?.reason));
    signal?.addEventListener('abort', onAbort, { once: true });
    if (timeoutMs !== undefined) {
      timer = setTimeout(() => done(() => reject(new WaitTimeoutError(id, timeoutMs))), timeoutMs);
    }
    redis.hmget(keys.execution(id), 'created', 'result').then(
      ([created, result]) => {
        if (result != null) done(() => resolve(decodeResult(result)));
        else if (created == null) done(() => reject(new ExecutionNotFoundError(id)));
      },
      (error: unknown) => done(() => reject(error)),
    );
  });
}
