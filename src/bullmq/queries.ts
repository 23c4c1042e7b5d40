import type { Redis } from 'ioredis';
import { ExecutionNotFoundError } from '../errors.js';
import type { EngineStats, ExecutionSnapshot, ExecutionStatus } from '../types.js';
import type { RedisKeys } from './redis-keys.js';
import { outputSoFar } from './settle.js';
import { type RecordFields, snapshotOf } from './wire.js';

/** An execution's record. @throws ExecutionNotFoundError when there is none (never, or expired). */
export async function readRecord(redis: Redis, keys: RedisKeys, id: string): Promise<RecordFields> {
  const fields = (await redis.hgetall(keys.execution(id))) as RecordFields;
  if (fields.created === undefined) throw new ExecutionNotFoundError(id);
  return fields;
}

/** A live view: its record's latest state, with the current attempt's output read from its stream. */
export async function readSnapshot(redis: Redis, keys: RedisKeys, id: string): Promise<ExecutionSnapshot> {
  const fields = await readRecord(redis, keys, id);
  const snapshot = snapshotOf(id, fields) as ExecutionSnapshot & { durationMs?: number };
  if (snapshot.status !== 'running') return snapshot;
  Object.assign(snapshot, await outputSoFar(redis, keys.stream(id)));
  if (snapshot.startedAt !== undefined) snapshot.durationMs = Date.now() - snapshot.startedAt.getTime();
  return snapshot;
}

/**
 * Snapshots of the executions still kept in Redis, oldest first (without the output of running
 * ones: `getExecution` reads it), those of `statuses` only when given. Ids whose record expired are
 * dropped from the index.
 */
export async function listSnapshots(
  redis: Redis,
  keys: RedisKeys,
  statuses: ReadonlySet<string> | undefined,
): Promise<ExecutionSnapshot[]> {
  const ids = await redis.zrange(keys.index, '0', '-1');
  const pipeline = redis.pipeline();
  for (const id of ids) pipeline.hgetall(keys.execution(id));
  const replies = (await pipeline.exec()) ?? [];
  const snapshots: ExecutionSnapshot[] = [];
  const gone: string[] = [];
  ids.forEach((id, index) => {
    const fields = replies[index]?.[1] as RecordFields | undefined;
    if (fields?.created === undefined) {
      gone.push(id);
      return;
    }
    if (statuses !== undefined && !statuses.has(fields.status ?? 'queued')) return;
    snapshots.push(snapshotOf(id, fields));
  });
  if (gone.length > 0) await redis.zrem(keys.index, ...gone);
  return snapshots;
}

/** Counts of the executions kept in Redis, by status and group (totals are of those kept). */
export async function countExecutions(redis: Redis, keys: RedisKeys): Promise<EngineStats> {
  const snapshots = await listSnapshots(redis, keys, undefined);
  const count = (status: ExecutionStatus) => snapshots.filter((s) => s.status === status).length;
  const groups: EngineStats['groups'] = {};
  for (const { group, status } of snapshots) {
    if (group === undefined || (status !== 'queued' && status !== 'running')) continue;
    groups[group] ??= { queued: 0, running: 0 };
    groups[group][status]++;
  }
  return {
    queued: count('queued'),
    running: count('running'),
    retained: snapshots.length,
    completed: count('completed'),
    failed: count('failed'),
    timeout: count('timeout'),
    cancelled: count('cancelled'),
    groups,
    outputBytes: { stdout: 0, stderr: 0 },
  };
}
