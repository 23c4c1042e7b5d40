import type { CheckedOptions } from './distributed-options.js';
import { readRecord } from './queries.js';
import { jobIdOf } from './redis-keys.js';
import { settleExecution } from './settle.js';
import type { SubmitContext } from './submit-execution.js';
import type { RecordFields } from './wire.js';

/**
 * Cancels an execution from any engine: marks it (a worker that takes it, or has just taken it,
 * cancels it), removes its job when it still waits (BullMQ removes only a job no worker holds)
 * and settles it `cancelled` at once; otherwise tells the workers, and the one running it
 * terminates its tree. Resolves `true` once it is `cancelled`, `false` if it ended otherwise.
 * @throws ExecutionNotFoundError
 */
export async function cancelExecution(
  context: SubmitContext,
  options: CheckedOptions,
  id: string,
  reason: string | undefined,
  wait: () => Promise<{ status: string }>,
): Promise<boolean> {
  const { redis, keys } = context;
  const fields = await readRecord(redis, keys, id);
  if (fields.result !== undefined) return false;
  await redis.hset(keys.execution(id), 'cancel', reason ?? '');
  const removed = await context.queue(fields.capability ?? 'default').remove(jobIdOf(id));
  if (removed === 1) {
    const latest = (await redis.hgetall(keys.execution(id))) as RecordFields;
    const settle = {
      redis,
      keys,
      token: '*',
      eventsMaxLength: options.eventStreamLength,
      retentionMs: options.retentionMs,
    };
    if ((await settleExecution(settle, id, latest, { status: 'cancelled', reason })) !== undefined)
      return true;
  } else {
    await redis.publish(keys.control, JSON.stringify({ id, reason }));
  }
  return (await wait()).status === 'cancelled';
}
