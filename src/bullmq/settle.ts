import type { Redis } from 'ioredis';
import type { BatchedEvent } from '../events/event-types.js';
import type { ExecutionAttempt, ExecutionErrorInfo, ExecutionResult, ExecutionSnapshot } from '../types.js';
import { appendEvents } from './redis-client.js';
import type { RedisKeys } from './redis-keys.js';
import type { StreamEntry } from './stream-follower.js';
import { decodeEntry, type RecordFields, snapshotOf } from './wire.js';

/** The output an execution's current attempt wrote so far, read from its stream. */
export async function outputSoFar(redis: Redis, stream: string): Promise<{ stdout: string; stderr: string }> {
  const entries = (await redis.call('XRANGE', stream, '-', '+')) as StreamEntry[];
  let stdout: string[] = [];
  let stderr: string[] = [];
  for (const [, fields] of entries) {
    for (const event of decodeEntry(fields)) {
      if (event.type === 'started') {
        stdout = [];
        stderr = [];
      } else if (event.type === 'output') {
        (event.stream === 'stdout' ? stdout : stderr).push(...event.lines);
      }
    }
  }
  return { stdout: stdout.join('\n'), stderr: stderr.join('\n') };
}

/** How an execution no local engine holds ends. */
export type Ending =
  | { status: 'cancelled'; reason: string | undefined }
  | { status: 'failed'; error: ExecutionErrorInfo };

/** Where and as whom to write. */
export interface SettleContext {
  redis: Redis;
  keys: RedisKeys;
  /** The record's token (a worker's run), or `*` for an execution no worker holds. */
  token: string;
  eventsMaxLength: number;
  retentionMs: number;
}

/**
 * Ends an execution that no local engine holds (cancelled while waiting, its worker lost, expired
 * in the queue, refused by its worker): builds its result from its record and its stream (a lost
 * attempt is listed in `attempts`), writes the terminal event. Resolves with the result, or
 * `undefined` when the write was fenced off (another run holds it, or it had ended).
 */
export async function settleExecution(
  context: SettleContext,
  id: string,
  fields: RecordFields,
  ending: Ending,
): Promise<ExecutionResult | undefined> {
  const { redis, keys } = context;
  const base = snapshotOf(id, fields) as ExecutionSnapshot & { [key: string]: unknown };
  const now = new Date();
  const started = base.status === 'running';
  const output = started ? await outputSoFar(redis, keys.stream(id)) : { stdout: '', stderr: '' };
  const attempts: ExecutionAttempt[] = [...base.attempts];
  if (started && ending.status === 'failed') {
    const lost: ExecutionAttempt = {
      attempt: attempts.length + 1,
      status: 'failed',
      exitCode: null,
      signal: null,
      error: ending.error,
      completedAt: now,
    };
    if (base.pid !== undefined) lost.pid = base.pid;
    if (base.startedAt !== undefined) lost.startedAt = base.startedAt;
    attempts.push(lost);
  }
  const result = {
    ...base,
    ...output,
    status: ending.status,
    success: false,
    completedAt: now,
    durationMs: base.startedAt === undefined ? 0 : now.getTime() - base.startedAt.getTime(),
    outputs: {},
    attempts,
    ...(ending.status === 'failed' ? { error: ending.error } : {}),
  } as unknown as ExecutionResult;
  const seq = Number(fields.seq ?? 0) + 1;
  const event = {
    type: ending.status,
    executionId: id,
    seq,
    timestamp: now.getTime(),
    ...(result.metadata === undefined ? {} : { metadata: result.metadata }),
    ...(result.pipeline === undefined ? {} : { pipeline: result.pipeline }),
    result,
    ...(ending.status === 'failed' ? { error: ending.error } : {}),
    ...(ending.status === 'cancelled' && ending.reason !== undefined ? { reason: ending.reason } : {}),
  } as BatchedEvent;
  const json = JSON.stringify(result);
  const written = await appendEvents(redis, {
    keys: [keys.execution(id), keys.stream(id), keys.events],
    token: context.token,
    firstSeq: seq,
    lastSeq: seq,
    payload: JSON.stringify([event]),
    eventsMaxLength: context.eventsMaxLength,
    status: ending.status,
    result: json,
    ttlMs: context.retentionMs,
  });
  return written === 1 ? result : undefined;
}
