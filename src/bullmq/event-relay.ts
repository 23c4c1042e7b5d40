import type { Redis } from 'ioredis';
import type { BatchedEvent } from '../events/event-types.js';
import type { ExecutionAttempt, ExecutionSnapshot, PipelineRef } from '../types.js';
import { appendEvents } from './redis-client.js';
import type { RedisKeys } from './redis-keys.js';

/** Where one run writes, and how its local numbers map onto the execution's. */
export interface RelayContext {
  redis: Redis;
  keys: RedisKeys;
  id: string;
  /** The run's fencing token (the record's `token` while it holds the execution). */
  token: string;
  workerId: string;
  /** `seq` numbers already written by earlier runs. */
  seqOffset: number;
  /** Attempts earlier runs started (and ended, or lost). */
  priorAttempts: ExecutionAttempt[];
  pipeline: PipelineRef | undefined;
  /** When the execution was submitted. */
  createdAt: Date;
  eventsMaxLength: number;
  retentionMs: number;
  /** The local engine's live snapshot of the execution. */
  snapshot(): ExecutionSnapshot | undefined;
}

/**
 * Writes a run's events as the local engine emits them, each in one fenced write (an `output`
 * batch is one stream entry), in order on one connection: `seq` and `attempt` continue those of
 * earlier runs, `started` carries the worker's id, and results list earlier runs' attempts. Once
 * {@link fence}d (the lock was lost) it writes nothing more.
 */
export class EventRelay {
  readonly #context: RelayContext;
  #last: Promise<unknown> = Promise.resolve();
  #fenced = false;
  /** The output passed the limit: later lines are live only (the local engine retains none of them). */
  #pastLimit = false;

  constructor(context: RelayContext) {
    this.#context = context;
  }

  /** Stops writing: another worker may hold the execution now. */
  fence(): void {
    this.#fenced = true;
  }

  /** Resolves once every write sent so far is answered. */
  flushed(): Promise<unknown> {
    return this.#last;
  }

  push(local: BatchedEvent): void {
    if (this.#fenced) return;
    const context = this.#context;
    const { seqOffset, priorAttempts } = context;
    const event = { ...local, seq: local.seq + seqOffset } as BatchedEvent & Record<string, unknown>;
    if (context.pipeline !== undefined) event.pipeline = context.pipeline;
    let status: string | undefined;
    let snapshot: string | undefined;
    let result: string | undefined;
    let attempts: number | undefined;
    if (event.type === 'started' || event.type === 'retrying') {
      event.attempt += priorAttempts.length;
      if (event.type === 'started') {
        (event as { worker?: string }).worker = context.workerId;
        attempts = event.attempt;
      }
      status = event.type === 'started' ? 'running' : 'queued';
      snapshot = this.#snapshot();
    } else if ('result' in event) {
      const full = this.#withPrior(event.result as ExecutionSnapshot);
      event.result = full as never;
      status = event.type;
      result = JSON.stringify(full);
    }
    if (event.type === 'outputTruncated') this.#pastLimit = true;
    else if (event.type === 'started') this.#pastLimit = false;
    const last = event.type === 'output' ? event.seq + event.lines.length - 1 : event.seq;
    this.#last = appendEvents(context.redis, {
      keys: [context.keys.execution(context.id), context.keys.stream(context.id), context.keys.events],
      token: context.token,
      firstSeq: event.seq,
      lastSeq: last,
      payload: JSON.stringify([event]),
      eventsMaxLength: context.eventsMaxLength,
      status,
      snapshot,
      result,
      ttlMs: context.retentionMs,
      attempts,
      liveOnly: this.#pastLimit && event.type === 'output',
    }).catch(() => {});
  }

  /** The local snapshot without its output (read from the stream when asked for), attempts renumbered. */
  #snapshot(): string | undefined {
    const local = this.#context.snapshot();
    if (local === undefined) return undefined;
    const { stdout: _stdout, stderr: _stderr, ...rest } = this.#withPrior(local) as ExecutionSnapshot;
    return JSON.stringify({ ...rest, stdout: '', stderr: '', worker: this.#context.workerId });
  }

  #withPrior(snapshot: ExecutionSnapshot): ExecutionSnapshot {
    const { priorAttempts, pipeline } = this.#context;
    const renumbered = snapshot.attempts.map((a) => ({ ...a, attempt: a.attempt + priorAttempts.length }));
    const first = priorAttempts[0]?.startedAt;
    const full = { ...snapshot, attempts: [...priorAttempts, ...renumbered] } as ExecutionSnapshot;
    full.createdAt = this.#context.createdAt;
    if (first !== undefined) full.startedAt = first;
    if (pipeline !== undefined) full.pipeline = pipeline;
    return full;
  }
}
