import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { uuidv7 } from '../arguments/execution-id.js';
import { readRequest } from '../arguments/read-request.js';
import type { ExecutionConfig } from '../config.js';
import { InvalidRequestError } from '../errors.js';
import type { PipelineRef } from '../types.js';
import { isPlainObject } from '../utils/checks.js';
import { describeValue } from '../utils/describe-value.js';
import { bullPriority, checkCapability, DEFAULT_CAPABILITY, jobIdOf, type RedisKeys } from './redis-keys.js';
import { RedisUnavailableError } from './redis-unavailable.js';
import { encodeRequest, type JobData } from './wire.js';

/** What submitting needs: the engine's connection, keys and queues. */
export interface SubmitContext {
  redis: Redis;
  keys: RedisKeys;
  config: ExecutionConfig;
  queue(capability: string): Queue;
  /** The Redis address, for error messages. */
  where: string;
}

/** An execution stored and queued. */
export interface Submitted {
  id: string;
  signal: AbortSignal | undefined;
}

/** Reads `requires` (once) and returns the rest of the request. */
function splitRequires(request: unknown): { requires: string; rest: unknown } {
  if (!isPlainObject(request) || !('requires' in request))
    return { requires: DEFAULT_CAPABILITY, rest: request };
  const { requires, ...rest } = request;
  if (requires === undefined) return { requires: DEFAULT_CAPABILITY, rest };
  return { requires: checkCapability(requires, 'requires', 'request'), rest };
}

/**
 * Checks a request as the local engine does (the same `InvalidRequestError`s; what needs the
 * worker's file system, `cwd` and a script's shebang, is checked by the worker), stores its record
 * and adds its job to the queue of its capability. Resolves once both are stored.
 * @throws InvalidRequestError naming the field (also `progress` as a function and `stdin: 'pipe'`,
 * which cannot reach a worker); the signal's reason when it is aborted already;
 * RedisUnavailableError when Redis cannot be reached.
 */
export async function submitExecution(
  context: SubmitContext,
  request: unknown,
  pipeline?: PipelineRef,
): Promise<Submitted> {
  const { requires, rest } = splitRequires(request);
  const read = readRequest(rest, context.config);
  if (typeof read.progress.given === 'function') {
    throw new InvalidRequestError(
      'progress',
      `Expected \`progress\` to be 'percent', 'fraction' or 'json' on a DistributedEngine (a function cannot reach a worker), got ${describeValue(read.progress.given)}`,
    );
  }
  if (read.stdin === 'pipe') {
    throw new InvalidRequestError(
      'stdin',
      "Expected `stdin` to be 'ignore' on a DistributedEngine (no pipe reaches a worker), got `pipe` (string)",
    );
  }
  if (read.signal?.aborted === true) throw read.signal.reason;
  const { redis, keys } = context;
  if (redis.status !== 'ready') throw new RedisUnavailableError(context.where);
  const id = read.id ?? uuidv7();
  const spawn = read.command.spawn;
  const script = read.command.command as { path?: string; args?: string[] };
  const command =
    spawn === undefined
      ? { file: script.path, args: script.args ?? [] }
      : { file: spawn.file, args: spawn.args };
  const created = Date.now();
  const plain = pipeline === undefined ? read.request : { ...read.request, pipeline };
  const record = keys.execution(id);
  try {
    const [[, stored] = []] = (await redis.multi().hsetnx(record, 'created', created).exec()) as [
      unknown,
      number,
    ][];
    if (stored !== 1) {
      throw new InvalidRequestError('id', `Expected \`id\` to be unique, but \`${id}\` is already retained`);
    }
    await redis
      .multi()
      .hset(record, {
        request: JSON.stringify(encodeRequest(plain)),
        command: JSON.stringify(command),
        capability: requires,
        status: 'queued',
        seq: 0,
        attempts: 0,
      })
      .zadd(keys.index, created, id)
      .exec();
    const data: JobData = {
      id,
      request: encodeRequest(read.request) as JobData['request'],
      capability: requires,
    };
    if (pipeline !== undefined) data.pipeline = pipeline;
    await context.queue(requires).add('run', data, {
      jobId: jobIdOf(id),
      priority: bullPriority(read.admission.priority),
      removeOnComplete: true,
      removeOnFail: true,
    });
  } catch (error) {
    if (error instanceof InvalidRequestError) throw error;
    throw new RedisUnavailableError(context.where, error);
  }
  return { id, signal: read.signal };
}
