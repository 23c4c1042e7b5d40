import { mkdirSync } from 'node:fs';
import { EventEmitter } from 'eventemitter3';
import { uuidv7 } from './arguments/execution-id.js';
import {
  type CheckedShutdownOptions,
  checkAfterSeq,
  checkListFilter,
  checkShutdownOptions,
  checkWaitOptions,
} from './arguments/method-options.js';
import { normalizeRequest } from './arguments/normalize-request.js';
import { type ExecutionConfig, type PartialExecutionConfig, resolveConfig } from './config.js';
import {
  CommandFailedError,
  EngineShutDownError,
  InvalidConfigError,
  InvalidRequestError,
  PipelineFailedError,
} from './errors.js';
import { EventBus } from './events/event-bus.js';
import type {
  BatchedEvent,
  BatchedEventHandler,
  EngineEvents,
  EventHandler,
  ExecutionEvent,
  LinesMode,
} from './events/event-types.js';
import { describeFailure } from './execution/failure-text.js';
import { Durability } from './journal/durability.js';
import type { RecoveryReport } from './journal/journal-types.js';
import { describePipelineFailure } from './pipeline/pipeline-failure-text.js';
import { recoverPipelines } from './pipeline/pipeline-recovery.js';
import type {
  PipelineEvent,
  PipelineListFilter,
  PipelineResult,
  PipelineSnapshot,
  PipelineSpec,
  PipelineWaitOptions,
} from './pipeline/pipeline-types.js';
import { Pipelines } from './pipeline/pipelines.js';
import { recoverJournal } from './recovery/recovery.js';
import { Lifecycle } from './run/lifecycle.js';
import { shutDown } from './run/shutdown.js';
import type { ScheduleHandle, ScheduleInfo, ScheduleOptions } from './schedule/schedule-types.js';
import { Schedules } from './schedule/schedules.js';
import { assertJournalSupported } from './spawn/platform.js';
import { ExecutionRecord } from './state/execution-record.js';
import type {
  EngineStats,
  ExecutionMetadata,
  ExecutionRequest,
  ExecutionResult,
  ExecutionSnapshot,
  ExecutionStatus,
  ListFilter,
  PipelineRef,
  ShutdownOptions,
  WaitOptions,
} from './types.js';
import { isTerminal } from './types.js';

/**
 * Runs commands in the background behind a concurrency limit, captures their output line by
 * line, and reports typed events. `execute()` returns an id at once; `run()` waits for the result.
 * Listen to the events with `on`, `once` and `off`, typed by {@link EngineEvents}.
 *
 * @example
 * ```ts
 * const engine = new ExecutionEngine({ maxConcurrentExecutions: 4 });
 * engine.on('stdout', (e) => console.log(`[${e.executionId}] ${e.line}`));
 * const id = await engine.execute({ command: shell('make test'), timeoutMs: 60_000 });
 * const result = await engine.waitForCompletion(id);
 * ```
 *
 * @property on Adds a listener for one event type: a type of {@link ExecutionEvent} (`'queued'`,
 * `'started'`, `'stdout'`, `'stderr'`, `'outputTruncated'`, `'completed'`, `'failed'`, `'timeout'`,
 * `'cancelled'`, `'recovered'`), `'output'` for batches of lines ({@link OutputEvent}; only to its
 * own listeners), `'event'` for every execution event (after the typed one), or
 * `'handlerError'` for a listener that threw or an event handler that threw or rejected. The
 * listener's arguments are typed by {@link EngineEvents}:
 * `engine.on('stdout', (e) => console.log(e.line))`. Listeners of an event run in order; one that
 * throws stops the later ones for that event, never the execution, and the error goes to
 * `'handlerError'` (or to a process warning, once, when nobody listens there). Returns the engine.
 * @property once Same as `on`, for the first event of that type only: the listener is removed before
 * it runs. Returns the engine.
 * @property off Removes a listener added with `on` or `once` (the same function), or every listener
 * of the type when no function is given. Returns the engine.
 */
export class ExecutionEngine<Meta extends ExecutionMetadata = ExecutionMetadata> extends EventEmitter<
  EngineEvents<Meta>
> {
  readonly #config: ExecutionConfig;
  readonly #bus = new EventBus(this);
  readonly #lifecycle: Lifecycle;
  #cleanupTimer: NodeJS.Timeout | undefined;
  /** Journal opened and recovered; new work waits for it. */
  readonly #recovery: Promise<RecoveryReport> | undefined;
  #shutdown: Promise<void> | undefined;
  readonly #schedules: Schedules;
  readonly #pipelines: Pipelines;

  /** @throws InvalidConfigError naming the first invalid key. */
  constructor(config: PartialExecutionConfig = {}) {
    super();
    this.#config = resolveConfig(config);
    const { logDir, journal } = this.#config;
    if (journal !== undefined) assertJournalSupported(process.platform);
    if (logDir !== undefined) {
      try {
        mkdirSync(logDir, { recursive: true });
      } catch (error) {
        throw new InvalidConfigError(
          'logDir',
          `Cannot create \`logDir\` ${logDir}: ${(error as Error).message}`,
        );
      }
    }
    const durability =
      journal === undefined ? undefined : new Durability(journal, (error) => this.#journalError(error));
    this.#lifecycle = new Lifecycle(this.#config, this.#bus, durability);
    this.#pipelines = new Pipelines({
      config: this.#config,
      lifecycle: this.#lifecycle,
      submit: (request, pipeline, schedule) =>
        this.#submit(request as ExecutionRequest<Meta>, schedule, pipeline),
      journalDir: journal?.dir,
    });
    if (durability !== undefined) {
      const recover = (options: Parameters<typeof recoverJournal>[1]) =>
        recoverJournal(this.#lifecycle, options);
      this.#recovery = durability.journal.open().then(() => recoverPipelines(this.#pipelines, recover));
      this.#recovery.catch(() => {}); // surfaced by execute() and recover()
    }
    if (this.#config.enableAutoCleanup) {
      this.#cleanupTimer = setInterval(() => this.cleanup(), this.#config.cleanupIntervalMs).unref();
    }
    this.#schedules = new Schedules(
      journal?.dir,
      this.#recovery,
      {
        config: this.#config,
        submit: (request, schedule) => this.#submit(request as ExecutionRequest<Meta>, schedule),
        wait: (id) => this.waitForCompletion(id),
      },
      {
        config: this.#config,
        start: (spec, schedule) => this.#pipelines.start(spec, schedule),
        wait: (id) => this.waitForPipeline(id),
      },
    );
  }

  /** The resolved configuration (defaults applied). */
  get config(): Readonly<ExecutionConfig> {
    return this.#config;
  }

  /**
   * Registers an execution and resolves with its id at once; the command runs in the background.
   * With a journal, the execution is durably recorded before this resolves.
   * @throws InvalidRequestError (nothing is registered), ConcurrencyLimitReachedError,
   * EngineShutDownError, JournalLockedError.
   */
  async execute(request: ExecutionRequest<Meta>): Promise<string> {
    return this.#submit(request);
  }

  /**
   * `execute()`; a schedule's runs pass its name, a pipeline's steps their pipeline and step, which
   * their record (and journal record) carry.
   */
  async #submit(request: ExecutionRequest<Meta>, schedule?: string, pipeline?: PipelineRef): Promise<string> {
    if (this.#shutdown !== undefined) throw new EngineShutDownError();
    if (this.#recovery !== undefined) await this.#recovery;
    const normalized = await normalizeRequest(request, this.#config);
    if (this.#shutdown !== undefined) throw new EngineShutDownError();
    const id = normalized.id ?? uuidv7();
    if (this.#lifecycle.get(id) !== undefined) {
      throw new InvalidRequestError('id', `Expected \`id\` to be unique, but \`${id}\` is already retained`);
    }
    this.#lifecycle.assertAccepts(normalized.admission.group);
    // An already aborted signal: nothing is registered, the call rejects with its reason.
    if (normalized.signal?.aborted === true) throw normalized.signal.reason;
    normalized.schedule = schedule;
    normalized.pipeline = pipeline;
    const record = ExecutionRecord.fromRequest(id, normalized);
    await this.#lifecycle.submit(record, normalized.request, undefined, normalized.signal);
    return id;
  }

  /**
   * Runs a command and waits for it: the one-liner for scripts.
   * @throws CommandFailedError unless `result.success`: `.result` has everything, `.cause` is the
   * specific error (`SpawnError`, `OutputSizeExceededError`, `ExecutionTimeoutError`,
   * `ExecutionCancelledError`) where there is one, and the message names the reason and the command,
   * then the last lines of stderr.
   * @throws What `execute()` throws (InvalidRequestError, ConcurrencyLimitReachedError, ...).
   * @example
   * ```ts
   * const { stdout } = await engine.run({ command: exec('git', ['rev-parse', 'HEAD']) });
   * ```
   */
  async run(request: ExecutionRequest<Meta>): Promise<ExecutionResult<Meta>> {
    const id = await this.execute(request);
    const { state, command } = this.#lifecycle.require(id);
    const result = await this.waitForCompletion(id);
    if (result.success) return result;
    const { status, timeoutMs, cancelReason, error, exitCode, errorCause } = state;
    // The result's stderr is decoded here, on failure only: its last lines end the message.
    const { stderr } = result;
    const message = describeFailure({ status, command, timeoutMs, cancelReason, error, exitCode, stderr });
    throw new CommandFailedError(result, message, errorCause);
  }

  /**
   * Resolves with the result for every terminal status, also for executions that already ended.
   * Rejects only with `ExecutionNotFoundError`, `WaitTimeoutError` or the signal's reason.
   */
  async waitForCompletion(id: string, options?: WaitOptions): Promise<ExecutionResult<Meta>> {
    const record = this.#lifecycle.require(id);
    if (record.result !== undefined) {
      checkWaitOptions(options); // invalid options are an error whether or not it has ended
      return record.result;
    }
    return this.#lifecycle.wait(id, options);
  }

  /** @throws ExecutionNotFoundError */
  getStatus(id: string): ExecutionStatus {
    return this.#lifecycle.require(id).status;
  }

  /** A live view: status, pid, timestamps, output so far. @throws ExecutionNotFoundError */
  getExecution(id: string): ExecutionSnapshot<Meta> {
    return this.#lifecycle.require(id).snapshot();
  }

  /** The result, or `undefined` until terminal. @throws ExecutionNotFoundError */
  getResult(id: string): ExecutionResult<Meta> | undefined {
    return this.#lifecycle.require(id).result;
  }

  /**
   * Snapshots of retained executions, oldest first, optionally filtered by status. `undefined` or
   * `null` means no filter.
   * @throws InvalidRequestError naming `filter` or `filter.status` for an invalid filter.
   */
  list(filter?: ListFilter): ExecutionSnapshot<Meta>[] {
    return this.#lifecycle.list(checkListFilter(filter)).map((record) => record.snapshot());
  }

  /**
   * Cancels a queued or running execution; for a running one the whole process group is
   * terminated. Resolves `true` once it is `cancelled`, `false` if it was already terminal.
   * @throws ExecutionNotFoundError
   */
  async cancel(id: string, reason?: string): Promise<boolean> {
    const record = this.#lifecycle.require(id);
    if (isTerminal(record.status)) return false;
    return this.#lifecycle.stop(record, 'cancel', reason);
  }

  /**
   * Writes to the stdin of an execution started with `stdin: 'pipe'`. Resolves once the data is
   * handed to the pipe: awaiting each write respects back-pressure (a process that does not read
   * keeps the promise pending, never the host's memory growing). Writing to a process that has
   * exited (EPIPE) rejects; it never crashes the host. Available once the execution runs (after
   * `execute` resolved with a free slot, or its `started` event): a queued one is refused, not
   * buffered.
   * @throws ExecutionNotFoundError for an unknown id.
   * @throws InvalidRequestError (rejects) when the execution has no `stdin: 'pipe'` (field
   * `stdin`), is still queued or already terminal, its stdin is closed, or its process no longer
   * reads it (field `id`); when `data` is not a string or Uint8Array (field `data`).
   * @example
   * ```ts
   * const id = await engine.execute({ command: exec('python3', ['-i', '-q']), stdin: 'pipe' });
   * await engine.writeInput(id, 'print(6 * 7)\n'); // stdout event: '42'
   * await engine.closeInput(id); // EOF: the REPL exits
   * ```
   */
  async writeInput(id: string, data: string | Uint8Array): Promise<void> {
    await this.#lifecycle.writeInput(id, data);
  }

  /**
   * Ends the stdin of an execution started with `stdin: 'pipe'` (the process reads EOF); resolves
   * once pending writes are flushed and the pipe is closed. Idempotent: resolves at once when its
   * stdin is closed already or the execution is terminal. Later `writeInput` calls reject.
   * @throws ExecutionNotFoundError for an unknown id.
   * @throws InvalidRequestError (rejects) when the execution has no `stdin: 'pipe'` (field `stdin`)
   * or is still queued (field `id`).
   * @example
   * ```ts
   * const id = await engine.execute({ command: exec('sort'), stdin: 'pipe' });
   * await engine.writeInput(id, 'b\na\n');
   * await engine.closeInput(id);
   * const { stdout } = await engine.waitForCompletion(id); // 'a\nb'
   * ```
   */
  async closeInput(id: string): Promise<void> {
    await this.#lifecycle.closeInput(id);
  }

  /**
   * Forgets a terminal execution (and deletes its temporary overflow files and journal files).
   * `false` for an unknown id.
   * @throws InvalidRequestError for one still queued or running.
   */
  removeExecution(id: string): boolean {
    const record = this.#lifecycle.get(id);
    if (record === undefined) return false;
    if (!isTerminal(record.status)) {
      throw new InvalidRequestError('id', `Cannot remove execution \`${id}\` while it is ${record.status}`, {
        executionId: id,
      });
    }
    this.#lifecycle.remove(record);
    return true;
  }

  /**
   * Removes terminal executions past retention (age, then count), and ended pipelines past the same
   * rules with their steps' executions; returns how many executions were removed.
   */
  cleanup(): number {
    return this.#lifecycle.cleanup() + this.#pipelines.cleanup();
  }

  /**
   * Replays every retained event of an execution in order (same `seq` numbers live listeners
   * saw), then continues live, and ends after the terminal event. Breaking out of the loop or
   * aborting `signal` releases it. With `lines: 'batched'` (default `'each'`) lines come as
   * `output` events, each carrying consecutive lines of one stream, instead of one event per line.
   * With `afterSeq` (default 0) the replay starts after that `seq`: a reconnecting consumer passes
   * the last `seq` it saw (for an `output` batch, its last line's: `seq + lines.length - 1`).
   * @throws ExecutionNotFoundError
   * @throws InvalidRequestError naming `lines` when it is not `'each'` or `'batched'`, or `afterSeq`
   * when it is not a non-negative integer.
   * @example
   * ```ts
   * for await (const event of engine.subscribe(id)) {
   *   if (event.type === 'stdout') ui.append(event.line);
   * }
   * for await (const event of engine.subscribe(id, { lines: 'batched' })) {
   *   if (event.type === 'output') ui.appendAll(event.lines);
   * }
   * ```
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
    const after = checkAfterSeq(options.afterSeq);
    return this.#lifecycle.require(id).log.subscribe(options.signal, batched, after);
  }

  /**
   * Checks a pipeline (steps with dependencies, each an execution) and starts it; resolves with
   * its id at once. Step executions get the id `<pipelineId>.<key>` and obey every admission rule.
   * With a journal, the pipeline is recorded durably first. See docs/pipelines.md.
   * @throws InvalidRequestError naming the field (duplicate keys, an unknown dependency, a cycle
   * (named in the message), a placeholder naming a step that is not a dependency, a step's invalid
   * request); nothing is registered. EngineShutDownError once `shutdown()` was called.
   * @example
   * ```ts
   * const id = await engine.startPipeline({
   *   steps: [
   *     { key: 'build', request: { command: shell('make && echo "version=$(cat VERSION)" >> "$EXECUTION_OUTPUT"') } },
   *     { key: 'deploy', dependsOn: ['build'], request: {
   *       command: shell('./deploy.sh "$VERSION"'),
   *       env: { VERSION: '${{ steps.build.outputs.version }}' },
   *     } },
   *   ],
   * });
   * ```
   */
  async startPipeline(spec: PipelineSpec<Meta>): Promise<string> {
    if (this.#shutdown !== undefined) throw new EngineShutDownError();
    if (this.#recovery !== undefined) await this.#recovery;
    return this.#pipelines.start(spec);
  }

  /**
   * Starts a pipeline and waits for it.
   * @throws PipelineFailedError (`PIPELINE_FAILED`) unless the result's `success`; its `result` has
   * every step's state and result. What `startPipeline` throws.
   * @example
   * ```ts
   * const { results } = await engine.runPipeline({ steps: [{ key: 'a', request: { command: exec('true') } }] });
   * ```
   */
  async runPipeline(spec: PipelineSpec<Meta>): Promise<PipelineResult<Meta>> {
    const result = await this.waitForPipeline(await this.startPipeline(spec));
    if (result.success) return result;
    throw new PipelineFailedError(result, describePipelineFailure(result));
  }

  /**
   * Resolves with the result once the pipeline has ended (also for one that already has). Rejects
   * only with `ExecutionNotFoundError`, `WaitTimeoutError` or the signal's reason.
   * @default options.timeoutMs no limit
   * @example
   * ```ts
   * const result = await engine.waitForPipeline(id, { timeoutMs: 60_000 });
   * ```
   */
  waitForPipeline(id: string, options?: PipelineWaitOptions): Promise<PipelineResult<Meta>> {
    return this.#pipelines.wait(id, options) as Promise<PipelineResult<Meta>>;
  }

  /**
   * The aggregated state of a pipeline: each step's status and execution id, counts per status,
   * progress from 0 to 1. @throws ExecutionNotFoundError
   * @example
   * ```ts
   * const { summary, progress } = engine.getPipeline(id);
   * ```
   */
  getPipeline(id: string): PipelineSnapshot {
    return this.#pipelines.get(id);
  }

  /**
   * Retained pipelines, oldest first, optionally filtered by status.
   * @default filter no filter
   * @example
   * ```ts
   * const running = engine.listPipelines({ status: 'running' });
   * ```
   */
  listPipelines(filter?: PipelineListFilter): PipelineSnapshot[] {
    return this.#pipelines.list(filter);
  }

  /**
   * Cancels the queued and running steps of a pipeline and skips its pending ones; resolves `true`
   * once it is `cancelled`, `false` if it had already ended. @throws ExecutionNotFoundError
   * @default reason 'pipeline cancelled'
   * @example
   * ```ts
   * await engine.cancelPipeline(id, 'user pressed stop');
   * ```
   */
  cancelPipeline(id: string, reason?: string): Promise<boolean> {
    return this.#pipelines.cancel(id, reason);
  }

  /**
   * Replays a pipeline's events, then follows live ones; ends after the final one (its `status`
   * terminal, no `step`). Breaking out of the loop or aborting `signal` releases it.
   * @throws ExecutionNotFoundError
   * @example
   * ```ts
   * for await (const event of engine.subscribePipeline(id)) ui.show(event.summary);
   * ```
   */
  subscribePipeline(
    id: string,
    options: { signal?: AbortSignal | undefined } = {},
  ): AsyncIterable<PipelineEvent> {
    return this.#pipelines.subscribe(id, options.signal);
  }

  /**
   * The report of the recovery that runs once, automatically, when the engine is constructed with
   * a journal: what became of each execution the previous host left unfinished. Without a journal
   * the report is empty.
   * @throws JournalLockedError when another live engine owns the journal.
   */
  async recover(): Promise<RecoveryReport> {
    return this.#recovery ?? { executions: [], unreadable: [], pipelines: [] };
  }

  /**
   * Adds a pluggable event handler; returns the function that removes it. With
   * `lines: 'batched'` (default `'each'`) the handler gets `output` events, each carrying
   * consecutive lines of one stream from one read, instead of `stdout`/`stderr` ones.
   * @throws InvalidRequestError naming `lines` when it is not `'each'` or `'batched'`.
   */
  addEventHandler(handler: BatchedEventHandler<Meta>, options: { lines: 'batched' }): () => void;
  addEventHandler(handler: EventHandler<Meta>, options?: { lines?: 'each' | undefined }): () => void;
  addEventHandler(
    handler: EventHandler<Meta> | BatchedEventHandler<Meta>,
    options: { lines?: LinesMode | undefined } = {},
  ): () => void {
    const batched = linesMode(options.lines) === 'batched';
    return this.#bus.addHandler(handler as EventHandler, batched);
  }

  /**
   * Runs `target` at every occurrence of a five- or six-field (seconds first) cron expression: each
   * run is an ordinary execution (or, for a {@link PipelineSpec} target, a pipeline) carrying
   * `schedule: name`. The target is checked now, as
   * `execute()` would (no `id`, no `signal`). With a journal, a restarted host that schedules the
   * same name never reruns an occurrence. Timers never keep Node alive. See docs/schedules.md.
   * @param options.overlap When the previous run has not ended. @default 'skip'
   * @param options.timezone IANA time zone. @default the host's local time zone
   * @param options.catchUp After a restart, run one missed occurrence. @default false
   * @throws InvalidRequestError naming `name` (invalid or taken), `cron` (invalid expression or
   * time zone), `overlap`, `catchUp` or the target's field; nothing is registered.
   * @throws EngineShutDownError once `shutdown()` was called.
   * @example
   * ```ts
   * const nightly = engine.schedule('backup', '0 3 * * *', { command: shell('./backup.sh') }, {
   *   timezone: 'Europe/Paris',
   *   overlap: 'queue',
   * });
   * engine.on('completed', (e) => e.schedule === 'backup' && log(e.result.exitCode));
   * nightly.nextRun(); // the next 03:00 in Paris
   * ```
   */
  schedule(
    name: string,
    cron: string,
    target: ExecutionRequest<Meta> | PipelineSpec<Meta>,
    options?: ScheduleOptions,
  ): ScheduleHandle {
    if (this.#shutdown !== undefined) throw new EngineShutDownError();
    return this.#schedules.add(name, cron, target, options);
  }

  /**
   * Stops schedule `name` (its runs already started go on) and frees the name; `false` if there is
   * no such schedule.
   * @example
   * ```ts
   * engine.unschedule('backup'); // true
   * ```
   */
  unschedule(name: string): boolean {
    return this.#schedules.remove(name);
  }

  /**
   * The schedules, in the order they were added: `name`, `cron`, `nextRun`, `lastRun` (the
   * occurrence of the latest run), `skipped` (occurrences dropped by `overlap`), `running`.
   * @example
   * ```ts
   * for (const s of engine.listSchedules()) console.log(s.name, s.nextRun, s.skipped);
   * ```
   */
  listSchedules(): ScheduleInfo[] {
    return this.#schedules.list();
  }

  /** Live counts (`queued`, `running`, `retained`) and totals since construction. */
  stats(): EngineStats {
    return this.#lifecycle.stats();
  }

  /**
   * Stops accepting work, cancels queued executions, waits up to `graceMs` for running ones,
   * then (with `kill`) terminates the rest as `cancelled` with reason `'shutdown'`. With a journal
   * and `kill: false`, running processes are left to the next engine to adopt. Idempotent.
   * Invalid options (`graceMs` not a non-negative integer, `kill` not a boolean) reject with
   * `InvalidRequestError` and change nothing.
   */
  shutdown(options: ShutdownOptions = {}): Promise<void> {
    let checked: CheckedShutdownOptions;
    try {
      checked = checkShutdownOptions(options); // bad options: reject, and change nothing
    } catch (error) {
      return Promise.reject(error);
    }
    clearInterval(this.#cleanupTimer);
    this.#schedules.stopAll();
    // Handing processes over (`kill: false`): pipeline records stay as they are, for the next engine.
    const pipelines = this.#pipelines;
    this.#shutdown ??= shutDown(this.#lifecycle, this.#recovery, checked, {
      ...(checked.kill === false ? { beforeStop: () => pipelines.freeze() } : {}),
      beforeClose: () => pipelines.freeze(),
    });
    return this.#shutdown;
  }

  #journalError(error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    process.emitWarning(`execution-engine could not write its journal: ${message}`, {
      code: 'EXECUTION_ENGINE_JOURNAL',
    });
  }
}

/** The `lines` option of `subscribe` and `addEventHandler`, checked; `'each'` by default. */
function linesMode(value: unknown): LinesMode {
  if (value === undefined || value === 'each' || value === 'batched') return value ?? 'each';
  throw new InvalidRequestError(
    'lines',
    `Expected \`lines\` to be 'each' or 'batched', got ${typeof value === 'string' ? `'${value}'` : String(value)}`,
  );
}
