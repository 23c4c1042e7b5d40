import { Queue } from 'bullmq';
import { EventEmitter } from 'eventemitter3';
import type { Redis } from 'ioredis';
import {
  checkAfterSeq,
  checkListFilter,
  checkShutdownOptions,
  checkWaitOptions,
} from '../arguments/method-options.js';
import { type ExecutionConfig, resolveConfig } from '../config.js';
import {
  CommandFailedError,
  EngineShutDownError,
  InvalidRequestError,
  PipelineFailedError,
} from '../errors.js';
import { EventBus } from '../events/event-bus.js';
import type {
  BatchedEvent,
  BatchedEventHandler,
  EngineEvents,
  EventHandler,
  ExecutionEvent,
  LinesMode,
} from '../events/event-types.js';
import { describeFailure } from '../execution/failure-text.js';
import { describePipelineFailure } from '../pipeline/pipeline-failure-text.js';
import type {
  PipelineEvent,
  PipelineListFilter,
  PipelineResult,
  PipelineSnapshot,
  PipelineWaitOptions,
} from '../pipeline/pipeline-types.js';
import type {
  EngineStats,
  ExecutionMetadata,
  ExecutionResult,
  ExecutionSnapshot,
  ExecutionStatus,
  ListFilter,
  ShutdownOptions,
  WaitOptions,
} from '../types.js';
import { cancelExecution } from './cancel-execution.js';
import { type CheckedOptions, checkOptions, type DistributedEngineOptions } from './distributed-options.js';
import { DistributedPipelines } from './distributed-pipelines.js';
import type { DistributedPipelineSpec, DistributedRequest } from './distributed-request.js';
import { EventHub } from './event-hub.js';
import { KeepAlive } from './keep-alive.js';
import { countExecutions, listSnapshots, readRecord, readSnapshot } from './queries.js';
import { closeRedis, createRedis } from './redis-client.js';
import { RedisKeys } from './redis-keys.js';
import { StreamFollower } from './stream-follower.js';
import { type SubmitContext, submitExecution } from './submit-execution.js';
import { subscribeExecution } from './subscription.js';
import { waitForResult } from './wait-result.js';
import { decodeResult } from './wire.js';

/**
 * The engine's API over BullMQ and Redis: executions are stored in Redis and run by workers
 * ({@link startWorker}) on any machine; any number of `DistributedEngine`s, in any processes, see
 * the same executions, their events and results. Methods are the engine's, asynchronous where the
 * local engine answers at once (the state lives in Redis). Call `shutdown()` when done: its Redis
 * connections keep the process alive.
 * @example
 * ```ts
 * const engine = new DistributedEngine({ connection: { host: 'redis.internal', port: 6379 } });
 * engine.on('completed', (e) => console.log(e.executionId, e.result.exitCode));
 * const id = await engine.execute({ command: exec('nmap', ['-sV', host]), requires: 'nmap' });
 * const result = await engine.waitForCompletion(id);
 * await engine.shutdown();
 * ```
 */
export class DistributedEngine<Meta extends ExecutionMetadata = ExecutionMetadata> extends EventEmitter<
  EngineEvents<Meta>
> {
  readonly #options: CheckedOptions;
  readonly #keys: RedisKeys;
  /**
   * The rules requests are checked with here: the local engine's defaults, but no cap on
   * `timeoutMs` (each worker applies its own `maxTimeoutMs`; one it refuses ends `failed`).
   */
  readonly #config: ExecutionConfig = resolveConfig({ maxTimeoutMs: Number.POSITIVE_INFINITY });
  readonly #redis: Redis;
  readonly #blocking: Redis;
  readonly #follower: StreamFollower;
  readonly #bus = new EventBus(this as unknown as EventEmitter<EngineEvents>);
  readonly #hub = new EventHub(this.#bus);
  readonly #queues = new Map<string, Queue>();
  readonly #ready: Promise<void>;
  readonly #pipelines: DistributedPipelines;
  readonly #keepAlive: KeepAlive;
  #shutdown: Promise<void> | undefined;

  /** @throws InvalidConfigError naming the invalid option. */
  constructor(options: DistributedEngineOptions) {
    super();
    this.#options = checkOptions(options);
    this.#keys = new RedisKeys(this.#options.prefix);
    this.#redis = createRedis(this.#options.connection, false);
    this.#blocking = createRedis(this.#options.connection, true);
    this.#follower = new StreamFollower(this.#blocking, this.#redis);
    this.#keepAlive = new KeepAlive([this.#redis, this.#blocking]);
    this.#ready = this.#redis.connect().catch(() => {});
    this.#pipelines = new DistributedPipelines({
      config: this.#config,
      submit: async (request, ref) => (await submitExecution(this.#submitContext(), request, ref)).id,
      cancel: (id, reason) => this.cancel(id, reason),
      emit: (event) => this.#bus.emitPipeline(event),
      follow: () => this.#ready.then(() => this.#hub.start(this.#redis, this.#follower, this.#keys.events)),
      hold: () => this.#keepAlive.hold(),
    });
    this.#hub.tap = (event) => this.#pipelines.onEvent(event);
  }

  /**
   * Checks the request as the local engine does, stores it and queues it for a worker with its
   * `requires` capability (`'default'` without it); resolves with its id once stored.
   * @throws InvalidRequestError (nothing is stored), RedisUnavailableError, EngineShutDownError.
   */
  async execute(request: DistributedRequest<Meta>): Promise<string> {
    if (this.#shutdown !== undefined) throw new EngineShutDownError();
    const { id, signal } = await this.#keepAlive.during(async () => {
      await this.#connected();
      return submitExecution(this.#submitContext(), request);
    });
    signal?.addEventListener('abort', () => void this.cancel(id, String(signal.reason)).catch(() => {}), {
      once: true,
    });
    return id;
  }

  /** Runs a command on a worker and waits for it. @throws CommandFailedError unless `result.success`. */
  async run(request: DistributedRequest<Meta>): Promise<ExecutionResult<Meta>> {
    const result = await this.waitForCompletion(await this.execute(request));
    if (result.success) return result;
    const { status, command, error, exitCode, stderr } = result;
    const timeoutMs = request.timeoutMs ?? this.#config.defaultTimeoutMs;
    const cancelReason = undefined;
    const message = describeFailure({ status, command, timeoutMs, cancelReason, error, exitCode, stderr });
    throw new CommandFailedError(result, message);
  }

  /**
   * Resolves with the result once terminal (at once for one that has ended).
   * @throws ExecutionNotFoundError, WaitTimeoutError, the signal's reason.
   */
  async waitForCompletion(id: string, options?: WaitOptions): Promise<ExecutionResult<Meta>> {
    const { timeoutMs, signal } = checkWaitOptions(options);
    signal?.throwIfAborted();
    const release = this.#keepAlive.hold();
    try {
      await this.#connected();
      await this.#hub.start(this.#redis, this.#follower, this.#keys.events);
    } catch (error) {
      release();
      throw error;
    }
    const source = { hub: this.#hub, redis: this.#redis, keys: this.#keys };
    return waitForResult(source, id, { timeoutMs, signal }, release) as Promise<ExecutionResult<Meta>>;
  }

  /** @throws ExecutionNotFoundError */
  async getStatus(id: string): Promise<ExecutionStatus> {
    return this.#keepAlive.during(
      async () => (await readRecord(this.#redis, this.#keys, id)).status as ExecutionStatus,
    );
  }

  /** A view of the execution now: status, pid, timestamps, output so far. @throws ExecutionNotFoundError */
  async getExecution(id: string): Promise<ExecutionSnapshot<Meta>> {
    return this.#keepAlive.during(
      async () => (await readSnapshot(this.#redis, this.#keys, id)) as ExecutionSnapshot<Meta>,
    );
  }

  /** The result, or `undefined` until terminal. @throws ExecutionNotFoundError */
  async getResult(id: string): Promise<ExecutionResult<Meta> | undefined> {
    const { result } = await this.#keepAlive.during(() => readRecord(this.#redis, this.#keys, id));
    return result === undefined ? undefined : decodeResult<Meta>(result);
  }

  /**
   * Snapshots of the executions kept in Redis (see `retentionMs`), oldest first, optionally by
   * status; running ones without their output (`getExecution` has it).
   * @throws InvalidRequestError naming `filter` or `filter.status`.
   */
  async list(filter?: ListFilter): Promise<ExecutionSnapshot<Meta>[]> {
    const statuses = checkListFilter(filter);
    return this.#keepAlive.during(
      async () => (await listSnapshots(this.#redis, this.#keys, statuses)) as ExecutionSnapshot<Meta>[],
    );
  }

  /**
   * Cancels an execution from any process: a waiting one is removed from its queue, a running
   * one is signalled to the worker that runs it, which terminates its process tree. Resolves `true`
   * once it is `cancelled`, `false` if it had ended. @throws ExecutionNotFoundError
   */
  async cancel(id: string, reason?: string): Promise<boolean> {
    return this.#keepAlive.during(async () => {
      await this.#connected();
      return cancelExecution(this.#submitContext(), this.#options, id, reason, () =>
        this.waitForCompletion(id),
      );
    });
  }

  /**
   * Replays an execution's events from Redis, then follows them live, from any process; ends
   * after the terminal event. Same options as the local engine's `subscribe`.
   * @throws ExecutionNotFoundError (on the first read); InvalidRequestError naming `lines` or `afterSeq`.
   */
  subscribe(
    id: string,
    options: { signal?: AbortSignal | undefined; lines: 'batched'; afterSeq?: number | undefined },
  ): AsyncIterable<BatchedEvent<Meta>>;
  subscribe(
    id: string,
    options?: { signal?: AbortSignal | undefined; lines?: 'each' | undefined; afterSeq?: number | undefined },
  ): AsyncIterable<ExecutionEvent<Meta>>;
  subscribe(
    id: string,
    options: {
      signal?: AbortSignal | undefined;
      lines?: LinesMode | undefined;
      afterSeq?: number | undefined;
    } = {},
  ): AsyncIterable<ExecutionEvent<Meta> | BatchedEvent<Meta>> {
    const batched = linesMode(options.lines) === 'batched';
    const afterSeq = checkAfterSeq(options.afterSeq);
    const source = {
      redis: this.#redis,
      keys: this.#keys,
      follower: this.#follower,
      hold: () => this.#keepAlive.hold(),
    };
    return subscribeExecution(source, id, { batched, afterSeq, signal: options.signal }) as AsyncIterable<
      ExecutionEvent<Meta>
    >;
  }

  /**
   * Adds a handler of every worker's events (from now on); returns its remover. `lines: 'batched'`
   * gives `output` batches instead of line events.
   */
  addEventHandler(handler: BatchedEventHandler<Meta>, options: { lines: 'batched' }): () => void;
  addEventHandler(handler: EventHandler<Meta>, options?: { lines?: 'each' | undefined }): () => void;
  addEventHandler(
    handler: EventHandler<Meta> | BatchedEventHandler<Meta>,
    options: { lines?: LinesMode | undefined } = {},
  ): () => void {
    const batched = linesMode(options.lines) === 'batched';
    this.#followEvents();
    return this.#bus.addHandler(handler as EventHandler, batched);
  }

  /** Listens to every worker's events of `type` (from now on), like the engine's `on`. */
  override on<T extends EventEmitter.EventNames<EngineEvents<Meta>>>(
    event: T,
    listener: EventEmitter.EventListener<EngineEvents<Meta>, T>,
    context?: unknown,
  ): this {
    this.#followEvents();
    return super.on(event, listener, context);
  }

  /** Like `on`, for the first such event only. */
  override once<T extends EventEmitter.EventNames<EngineEvents<Meta>>>(
    event: T,
    listener: EventEmitter.EventListener<EngineEvents<Meta>, T>,
    context?: unknown,
  ): this {
    this.#followEvents();
    return super.once(event, listener, context);
  }

  /**
   * Starts a pipeline (see docs/pipelines.md): the orchestration runs in this process, each step is
   * an execution run by a worker (a plain step's request may name `requires`). Other
   * DistributedEngines see the steps' executions, not the pipeline.
   * @throws InvalidRequestError naming the field; nothing is started. EngineShutDownError.
   * @example
   * ```ts
   * const id = await engine.startPipeline({ steps: [
   *   { key: 'scan', request: { command: exec('nmap', ['-oX', '-', host]), requires: 'nmap' } },
   *   { key: 'report', dependsOn: ['scan'], request: { command: shell('./report.sh') } },
   * ] });
   * ```
   */
  async startPipeline(spec: DistributedPipelineSpec<Meta>): Promise<string> {
    if (this.#shutdown !== undefined) throw new EngineShutDownError();
    return this.#pipelines.start(spec);
  }

  /** Starts a pipeline and waits for it. @throws PipelineFailedError unless the result's `success`. */
  async runPipeline(spec: DistributedPipelineSpec<Meta>): Promise<PipelineResult<Meta>> {
    const result = await this.waitForPipeline(await this.startPipeline(spec));
    if (result.success) return result;
    throw new PipelineFailedError(result, describePipelineFailure(result));
  }

  /** Resolves once the pipeline has ended. @throws ExecutionNotFoundError, WaitTimeoutError, the signal's reason. */
  waitForPipeline(id: string, options?: PipelineWaitOptions): Promise<PipelineResult<Meta>> {
    return this.#pipelines.wait(id, options) as Promise<PipelineResult<Meta>>;
  }

  /** A pipeline this engine started: each step's status and execution id, counts, progress. @throws ExecutionNotFoundError */
  getPipeline(id: string): PipelineSnapshot {
    return this.#pipelines.require(id).snapshot();
  }

  /** The pipelines this engine started, oldest first, optionally by status. */
  listPipelines(filter?: PipelineListFilter): PipelineSnapshot[] {
    return this.#pipelines.list(filter);
  }

  /** Cancels a pipeline's queued and running steps, skips the pending ones. @throws ExecutionNotFoundError */
  cancelPipeline(id: string, reason?: string): Promise<boolean> {
    return this.#pipelines.cancel(id, reason);
  }

  /** Replays a pipeline's events, then follows them; ends after the final one. @throws ExecutionNotFoundError */
  subscribePipeline(
    id: string,
    options: { signal?: AbortSignal | undefined } = {},
  ): AsyncIterable<PipelineEvent> {
    return this.#pipelines.require(id).log.subscribe(options.signal);
  }

  /** Counts of the executions kept in Redis, by status and group. */
  async stats(): Promise<EngineStats> {
    return this.#keepAlive.during(async () => {
      await this.#connected();
      return countExecutions(this.#redis, this.#keys);
    });
  }

  /**
   * Closes this engine's connections. Executions go on on their workers (another engine sees
   * them); `options` are checked as the local engine's. Idempotent.
   */
  shutdown(options: ShutdownOptions = {}): Promise<void> {
    try {
      checkShutdownOptions(options);
    } catch (error) {
      return Promise.reject(error);
    }
    // Held until the connections are closed: a `quit` waiting for its reply keeps Node alive.
    this.#shutdown ??= this.#keepAlive.during(async () => {
      this.#follower.close();
      await Promise.all([...this.#queues.values()].map((queue) => queue.close().catch(() => {})));
      await Promise.all([closeRedis(this.#redis), closeRedis(this.#blocking)]);
    });
    return this.#shutdown;
  }

  /**
   * Waits for the first connection; while the client reconnects (Redis was down), waits for it up
   * to half a second, so a call right after Redis came back does not fail, and one during an
   * outage fails soon.
   */
  async #connected(): Promise<void> {
    await this.#ready;
    const redis = this.#redis;
    if (redis.status === 'ready') return;
    if (redis.status === 'wait' || redis.status === 'end') await redis.connect().catch(() => {});
    if ((redis.status as string) === 'ready') return;
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        redis.off('ready', done);
        resolve();
      };
      const timer = setTimeout(done, 500);
      redis.once('ready', done);
    });
  }

  #followEvents(): void {
    if (this.#shutdown !== undefined) return;
    void this.#ready
      .then(() => this.#hub.start(this.#redis, this.#follower, this.#keys.events))
      .catch(() => {});
  }

  #submitContext(): SubmitContext {
    const { host = '127.0.0.1', port = 6379 } = this.#options.connection;
    return {
      redis: this.#redis,
      keys: this.#keys,
      config: this.#config,
      where: `${host}:${port}`,
      queue: (capability) => {
        let queue = this.#queues.get(capability);
        if (queue === undefined) {
          queue = new Queue(this.#keys.queue(capability), {
            connection: this.#redis,
            prefix: this.#keys.prefix,
          });
          queue.on('error', () => {});
          this.#queues.set(capability, queue);
        }
        return queue;
      },
    };
  }
}

/** The `lines` option, checked; `'each'` by default. */
function linesMode(value: unknown): LinesMode {
  if (value === undefined || value === 'each' || value === 'batched') return value ?? 'each';
  throw new InvalidRequestError(
    'lines',
    `Expected \`lines\` to be 'each' or 'batched', got ${typeof value === 'string' ? `'${value}'` : String(value)}`,
  );
}
