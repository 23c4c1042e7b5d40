import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { ExecutionEngine } from '../engine.js';
import type { BatchedEvent } from '../events/event-types.js';
import type { ExecutionAttempt, ExecutionErrorInfo, ExecutionRequest, ExecutionSnapshot } from '../types.js';
import { EventRelay } from './event-relay.js';
import { lostAttempt, lostError, mayRetry } from './lost-run.js';
import { appendEvents } from './redis-client.js';
import type { RedisKeys } from './redis-keys.js';
import { settleExecution } from './settle.js';
import { decodeRequest, type JobData, type RecordFields, snapshotOf } from './wire.js';

/** What a worker gives each run. */
export interface RunContext {
  redis: Redis;
  keys: RedisKeys;
  local: ExecutionEngine;
  workerId: string;
  eventsMaxLength: number;
  retentionMs: number;
}

/**
 * One job taken by a worker: claims the execution (a new fencing token), decides what to do with
 * a run a lost worker left (`LOST`, or another attempt when `retry` allows it), settles what
 * cannot run (cancelled while waiting, expired in the queue, refused by this worker's checks),
 * else runs it on the local engine and relays its events. Resolves once its terminal event is
 * written.
 */
export class JobRun {
  readonly #context: RunContext;
  readonly #data: JobData;
  #relay: EventRelay | undefined;
  #cancelReason: string | undefined;
  #started = false;

  constructor(context: RunContext, data: JobData) {
    this.#context = context;
    this.#data = data;
  }

  /** A local event of this execution. */
  push(event: BatchedEvent): void {
    this.#relay?.push(event);
  }

  /** A cancel asked for it (from any engine): its process tree is terminated. */
  cancel(reason: string | undefined): void {
    this.#cancelReason = reason ?? '';
    if (this.#started) void this.#context.local.cancel(this.#data.id, reason).catch(() => {});
  }

  /** This worker lost the job's lock: write nothing more, terminate the tree. */
  lockLost(): void {
    this.#relay?.fence();
    if (this.#started) void this.#context.local.cancel(this.#data.id, 'lock lost').catch(() => {});
  }

  async process(): Promise<void> {
    const { redis, keys, workerId } = this.#context;
    const { id } = this.#data;
    const token = `${workerId}:${randomUUID()}`;
    const record = keys.execution(id);
    const replies =
      (await redis.multi().hgetall(record).hset(record, { token, worker: workerId }).exec()) ?? [];
    const fields = (replies[0]?.[1] ?? {}) as RecordFields;
    if (fields.created === undefined || fields.result !== undefined) {
      if (fields.created === undefined) await redis.del(record);
      return;
    }
    const settle = (ending: Parameters<typeof settleExecution>[3]) =>
      settleExecution({ ...this.#context, token }, id, fields, ending);
    if (fields.cancel !== undefined) {
      await settle({ status: 'cancelled', reason: fields.cancel === '' ? undefined : fields.cancel });
      return;
    }
    const request = decodeRequest(this.#data.request);
    const previous = snapshotOf(id, fields);
    const prior = [...previous.attempts];
    let seqOffset = Number(fields.seq ?? 0);
    if (fields.status === 'running' || Number(fields.attempts ?? 0) > prior.length) {
      const lost = lostError(fields);
      const used = Math.max(Number(fields.attempts ?? 0), prior.length + 1);
      if (!mayRetry(request, used)) {
        await settle({ status: 'failed', error: lost });
        return;
      }
      prior.push(lostAttempt(previous, used, lost));
      seqOffset = await this.#retrying(token, fields, used, lost);
    } else if (request.queueTimeoutMs !== undefined) {
      const waited = Date.now() - Number(fields.created);
      if (waited > request.queueTimeoutMs) {
        const message = `Waited ${waited} ms for a worker with capability \`${this.#data.capability}\`, longer than its queueTimeoutMs (${request.queueTimeoutMs} ms)`;
        await settle({ status: 'failed', error: { code: 'EXPIRED', message } });
        return;
      }
    }
    await this.#run(request, token, fields, seqOffset, prior);
  }

  /** Writes the `retrying` event that announces another attempt after a lost one; the new offset. */
  async #retrying(
    token: string,
    fields: RecordFields,
    used: number,
    error: ExecutionErrorInfo,
  ): Promise<number> {
    const { redis, keys } = this.#context;
    const { id } = this.#data;
    const seq = Number(fields.seq ?? 0) + 1;
    const event = {
      type: 'retrying',
      executionId: id,
      seq,
      timestamp: Date.now(),
      attempt: used + 1,
      delayMs: 0,
      previous: { status: 'failed', exitCode: null, signal: null, error },
      ...(this.#data.request.metadata === undefined ? {} : { metadata: this.#data.request.metadata }),
      ...(this.#data.pipeline === undefined ? {} : { pipeline: this.#data.pipeline }),
    };
    await appendEvents(redis, {
      keys: [keys.execution(id), keys.stream(id), keys.events],
      token,
      firstSeq: seq,
      lastSeq: seq,
      payload: JSON.stringify([event]),
      eventsMaxLength: this.#context.eventsMaxLength,
      status: 'queued',
      ttlMs: this.#context.retentionMs,
    });
    return seq;
  }

  async #run(
    request: ExecutionRequest,
    token: string,
    fields: RecordFields,
    seqOffset: number,
    prior: ExecutionAttempt[],
  ): Promise<void> {
    const { local } = this.#context;
    const { id } = this.#data;
    const relay = new EventRelay({
      ...this.#context,
      id,
      token,
      seqOffset,
      priorAttempts: prior,
      pipeline: this.#data.pipeline,
      createdAt: new Date(Number(fields.created)),
      snapshot: () => safeSnapshot(local, id),
    });
    this.#relay = relay;
    const localRequest: ExecutionRequest = { ...request, id };
    if (request.retry !== undefined) {
      const left = request.retry.attempts - prior.length;
      localRequest.retry = { ...request.retry, attempts: Math.max(1, left) };
    }
    if (request.queueTimeoutMs !== undefined) {
      localRequest.queueTimeoutMs = Math.max(
        0,
        request.queueTimeoutMs - (Date.now() - Number(fields.created)),
      );
    }
    if (prior.length > 0) delete localRequest.queueTimeoutMs;
    try {
      await local.execute(localRequest);
    } catch (error) {
      this.#relay = undefined;
      const message = error instanceof Error ? error.message : String(error);
      await settleExecution({ ...this.#context, token }, id, fields, {
        status: 'failed',
        error: {
          code: 'SPAWN_FAILED',
          message: `Worker ${this.#context.workerId} could not run it: ${message}`,
        },
      });
      return;
    }
    this.#started = true;
    const asked = await this.#context.redis.hget(this.#context.keys.execution(id), 'cancel');
    if (asked !== null) this.#cancelReason ??= asked;
    if (this.#cancelReason !== undefined) {
      await local.cancel(id, this.#cancelReason === '' ? undefined : this.#cancelReason).catch(() => {});
    }
    await local.waitForCompletion(id);
    await relay.flushed();
    local.removeExecution(id);
  }
}

function safeSnapshot(local: ExecutionEngine, id: string): ExecutionSnapshot | undefined {
  try {
    return local.getExecution(id);
  } catch {
    return undefined;
  }
}
