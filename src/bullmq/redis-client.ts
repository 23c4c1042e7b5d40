import { Redis } from 'ioredis';
import type { RedisConnection } from './distributed-options.js';

/**
 * Appends events to an execution's stream and to the engine-wide stream, and updates its record,
 * only while `token` is the record's (the run that holds the execution: a worker that lost its
 * lock writes nothing more) and only for `seq` numbers not written yet (a command resent after a
 * reconnection is not written twice). Token `*` settles an execution no worker holds (cancelled
 * while waiting), unless it has a result already.
 * KEYS: record, stream, events. ARGV: token, firstSeq, lastSeq, payload, eventsMaxLen, status,
 * snapshot, result, ttlMs, attempts, 'live' (output past the output limit: engine-wide stream only, as
 * the local engine does not retain it either). Returns 1 when written, 0 when fenced off, -1 for a duplicate.
 */
const APPEND = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
if ARGV[1] == '*' then
  if redis.call('HEXISTS', KEYS[1], 'result') == 1 then return 0 end
  redis.call('HSET', KEYS[1], 'token', '*')
elseif redis.call('HGET', KEYS[1], 'token') ~= ARGV[1] then
  return 0
end
local last = tonumber(redis.call('HGET', KEYS[1], 'seq') or '0')
if tonumber(ARGV[2]) <= last then return -1 end
if ARGV[11] ~= 'live' then redis.call('XADD', KEYS[2], '*', 'e', ARGV[4]) end
redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[5], '*', 'e', ARGV[4])
redis.call('HSET', KEYS[1], 'seq', ARGV[3])
if ARGV[6] ~= '' then redis.call('HSET', KEYS[1], 'status', ARGV[6]) end
if ARGV[7] ~= '' then redis.call('HSET', KEYS[1], 'snapshot', ARGV[7]) end
if ARGV[10] ~= '' then redis.call('HSET', KEYS[1], 'attempts', ARGV[10]) end
if ARGV[8] ~= '' then
  redis.call('HSET', KEYS[1], 'result', ARGV[8])
  redis.call('PEXPIRE', KEYS[1], ARGV[9])
  redis.call('PEXPIRE', KEYS[2], ARGV[9])
end
return 1
`;

/** One write of {@link appendEvents}. */
export interface AppendArgs {
  keys: [record: string, stream: string, events: string];
  token: string;
  firstSeq: number;
  lastSeq: number;
  /** JSON of the events written (one stream entry). */
  payload: string;
  eventsMaxLength: number;
  status?: string | undefined;
  snapshot?: string | undefined;
  result?: string | undefined;
  ttlMs: number;
  /** Attempts started so far, when this write starts one. */
  attempts?: number | undefined;
  /** Past the output limit: live only, not kept in the execution's stream for replay. */
  liveOnly?: boolean | undefined;
}

type WithScripts = Redis & {
  eeAppend(...args: (string | number)[]): Promise<number>;
};

/**
 * A Redis connection with this module's script. `waitForever`: commands wait through an outage
 * and are sent once Redis is back (workers: nothing they write is lost); otherwise a command
 * fails after one reconnection attempt.
 */
export function createRedis(connection: RedisConnection, waitForever: boolean): Redis {
  const redis = new Redis({
    ...connection,
    maxRetriesPerRequest: waitForever ? null : 1,
    retryStrategy: (times) => Math.min(times * 50, 1000),
    lazyConnect: true,
  });
  redis.defineCommand('eeAppend', { numberOfKeys: 3, lua: APPEND });
  // Errors surface on the commands; the client reconnects by itself.
  redis.on('error', () => {});
  return redis;
}

/** Runs the fenced append; see {@link APPEND}. */
export function appendEvents(redis: Redis, args: AppendArgs): Promise<number> {
  return (redis as WithScripts).eeAppend(
    ...args.keys,
    args.token,
    args.firstSeq,
    args.lastSeq,
    args.payload,
    args.eventsMaxLength,
    args.status ?? '',
    args.snapshot ?? '',
    args.result ?? '',
    args.ttlMs,
    args.attempts ?? '',
    args.liveOnly === true ? 'live' : '',
  );
}

/** Closes a connection, waiting for its pending replies when it is up. */
export async function closeRedis(redis: Redis): Promise<void> {
  if (redis.status === 'ready') {
    await redis.quit().catch(() => redis.disconnect());
  } else {
    redis.disconnect();
  }
}
