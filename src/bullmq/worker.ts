import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { Worker } from 'bullmq';
import { checkShutdownOptions } from '../arguments/method-options.js';
import { ExecutionEngine } from '../engine.js';
import type { BatchedEvent } from '../events/event-types.js';
import { checkWorkerOptions, type WorkerOptions } from './distributed-options.js';
import { JobRun } from './job-run.js';
import { closeRedis, createRedis } from './redis-client.js';
import { RedisKeys } from './redis-keys.js';
import type { JobData } from './wire.js';

/** A running worker: see {@link startWorker}. */
export interface ExecutionWorker {
  /** This worker's id (`<host>-<pid>-<random>`): on `started` events as `worker`, in `LOST` errors. */
  readonly id: string;
  /**
   * Stops taking executions, lets the running ones finish for `graceMs`, then cancels the rest
   * (`cancelled`, reason `'worker shutdown'`); resolves once their results are written and the
   * connections are closed. Idempotent.
   * @default options.graceMs 30_000
   */
  close(options?: { graceMs?: number | undefined }): Promise<void>;
}

/**
 * Starts a worker: it takes executions from the queues of its `capabilities` (`requires` of the
 * requests), at most `concurrency` at once per capability, and runs them on a local
 * {@link ExecutionEngine} configured by `engine` (its limits apply on top). Their events and
 * results go to Redis, where every {@link DistributedEngine} sees them. Resolves once it is
 * connected and listening.
 * @throws InvalidConfigError naming the invalid option.
 * @example
 * ```ts
 * const worker = await startWorker({
 *   connection: { host: 'redis.internal', port: 6379 },
 *   capabilities: ['default', 'nmap'],
 *   concurrency: 8,
 *   engine: { maxOutputSizeBytes: 10_000_000 },
 * });
 * process.on('SIGTERM', () => void worker.close({ graceMs: 60_000 }));
 * ```
 */
export async function startWorker(options: WorkerOptions): Promise<ExecutionWorker> {
  const checked = checkWorkerOptions(options);
  const id = `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
  const keys = new RedisKeys(checked.prefix);
  const local = new ExecutionEngine({
    maxConcurrentExecutions: checked.concurrency * checked.capabilities.length,
    ...checked.engine,
  });
  const redis = createRedis(checked.connection, true);
  const control = createRedis(checked.connection, true);
  const runs = new Map<string, JobRun>();
  const removeHandler = local.addEventHandler(
    { handleEvent: (event: BatchedEvent) => runs.get(event.executionId)?.push(event) },
    { lines: 'batched' },
  );
  const context = {
    redis,
    keys,
    local,
    workerId: id,
    eventsMaxLength: checked.eventStreamLength,
    retentionMs: checked.retentionMs,
  };
  await Promise.all([redis.connect(), control.connect()]);
  control.on('message', (_channel: string, message: string) => {
    const { id: executionId, reason } = JSON.parse(message) as { id: string; reason?: string };
    runs.get(executionId)?.cancel(reason);
  });
  await control.subscribe(keys.control);
  const workers = checked.capabilities.map((capability) => {
    const worker = new Worker(
      keys.queue(capability),
      async (job) => {
        const data = job.data as JobData;
        const run = new JobRun(context, data);
        runs.set(data.id, run);
        try {
          await run.process();
        } finally {
          runs.delete(data.id);
        }
      },
      {
        connection: { ...checked.connection, maxRetriesPerRequest: null },
        prefix: checked.prefix,
        name: id,
        concurrency: checked.concurrency,
        stalledInterval: checked.stalledIntervalMs,
        lockDuration: checked.lockDurationMs,
        // A stalled job always comes back to a worker, which settles it LOST or runs it again.
        maxStalledCount: 1_000_000,
        removeOnComplete: { count: 0 },
        removeOnFail: { count: 0 },
      },
    );
    worker.on('error', () => {}); // connection errors: BullMQ reconnects by itself
    worker.on('lockRenewalFailed', (jobIds: string[]) => {
      for (const jobId of jobIds) runs.get(jobId.replace(/^e-/, ''))?.lockLost();
    });
    return worker;
  });
  await Promise.all(workers.map((worker) => worker.waitUntilReady()));
  let closing: Promise<void> | undefined;
  return {
    id,
    async close(closeOptions = {}) {
      const { graceMs } = checkShutdownOptions({ graceMs: closeOptions?.graceMs });
      closing ??= (async () => {
        const stopped = Promise.all(workers.map((worker) => worker.close()));
        const timer = setTimeout(() => {
          for (const run of runs.values()) run.cancel('worker shutdown');
        }, graceMs);
        await stopped;
        clearTimeout(timer);
        removeHandler();
        await local.shutdown({ graceMs: 0 });
        await Promise.all([closeRedis(redis), closeRedis(control)]);
      })();
      return closing;
    },
  };
}
