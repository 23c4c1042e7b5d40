import { mkdirSync } from 'node:fs';
import { EventEmitter } from 'eventemitter3';
import { uuidv7 } from './arguments/execution-id.js';
import { normalizeRequest } from './arguments/normalize-request.js';
import { DEFAULT_CONFIG, type ExecutionConfig, resolveConfig } from './config.js';
import {
  CommandFailedError,
  EngineShutDownError,
  InvalidConfigError,
  InvalidRequestError,
} from './errors.js';
import { EventBus } from './events/event-bus.js';
import type { EngineEvents, EventHandler, ExecutionEvent } from './events/event-types.js';
import { makeEvent } from './events/make-event.js';
import { terminalEvent } from './events/terminal-event.js';
import { OutputCapture } from './io/output-capture.js';
import { applyOutcome, describeFailure } from './run/outcome.js';
import type { ProcessRun, RunOutcome } from './run/process-run.js';
import { type StartContext, startExecution } from './run/start-execution.js';
import { Scheduler } from './scheduler/scheduler.js';
import { ExecutionRecord, type TerminationReason } from './state/execution-record.js';
import { Registry } from './state/registry.js';
import { Waiters } from './state/waiters.js';
import type {
  EngineStats,
  ExecutionRequest,
  ExecutionResult,
  ExecutionSnapshot,
  ExecutionStatus,
  ListFilter,
  ShutdownOptions,
  WaitOptions,
} from './types.js';
import { isTerminal } from './types.js';

type TerminalTotals = 'completed' | 'failed' | 'timeout' | 'cancelled';

/**
 * Runs commands in the background behind a concurrency limit, captures their output line by
 * line, and reports typed events. `execute()` returns an id at once; `run()` waits for the result.
 *
 * @example
 * ```ts
 * const engine = new ExecutionEngine({ maxConcurrentExecutions: 4 });
 * engine.on('stdout', (e) => console.log(`[${e.executionId}] ${e.line}`));
 * const id = await engine.execute({ command: shell('make test'), timeoutMs: 60_000 });
 * const result = await engine.waitForCompletion(id);
 * ```
 */
export class ExecutionEngine extends EventEmitter<EngineEvents> {
  readonly #config: ExecutionConfig;
  readonly #bus = new EventBus(this);
  readonly #registry = new Registry();
  readonly #scheduler: Scheduler;
  readonly #waiters = new Waiters();
  /** Running processes by execution id. */
  readonly #runs = new Map<string, ProcessRun>();
  readonly #totals = { completed: 0, failed: 0, timeout: 0, cancelled: 0 };
  #cleanupTimer: NodeJS.Timeout | undefined;
  readonly #startContext: StartContext = {
    config: DEFAULT_CONFIG,
    bus: this.#bus,
    emit: (record, event) => this.#emit(record, event),
    stop: (record, reason) => void this.#stop(record, reason),
    finish: (record, outcome) => this.#finish(record, outcome, true),
  };
  #shutdown: Promise<void> | undefined;

  /** @throws InvalidConfigError naming the first invalid key. */
  constructor(config: Partial<ExecutionConfig> = {}) {
    super();
    this.#config = resolveConfig(config);
    this.#startContext.config = this.#config;
    this.#scheduler = new Scheduler(this.#config);
    const { logDir } = this.#config;
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
    this.#bus.onPressure = (id, paused) => {
      const run = this.#runs.get(id);
      if (paused) run?.hold();
      else run?.release();
    };
    if (this.#config.enableAutoCleanup) {
      this.#cleanupTimer = setInterval(() => this.cleanup(), this.#config.cleanupIntervalMs).unref();
    }
  }

  /** The resolved configuration (defaults applied). */
  get config(): Readonly<ExecutionConfig> {
    return this.#config;
  }

  /**
   * Registers an execution and resolves with its id at once; the command runs in the background.
   * @throws InvalidRequestError (nothing is registered), ConcurrencyLimitReachedError, EngineShutDownError.
   */
  async execute(request: ExecutionRequest): Promise<string> {
    if (this.#shutdown !== undefined) throw new EngineShutDownError();
    const normalized = await normalizeRequest(request, this.#config);
    if (this.#shutdown !== undefined) throw new EngineShutDownError();
    const id = normalized.id ?? uuidv7();
    if (this.#registry.has(id)) {
      throw new InvalidRequestError('id', `Expected \`id\` to be unique, but \`${id}\` is already retained`);
    }
    this.#scheduler.assertAccepts();
    const record = new ExecutionRecord(id, normalized);
    this.#registry.add(record);
    const position = this.#scheduler.submit(id, () => this.#start(record));
    if (position > 0) this.#emit(record, makeEvent(record, 'queued', { position }));
    return id;
  }

  /**
   * Runs a command and waits for it: the one-liner for scripts.
   * @throws CommandFailedError (with `.result`, and `.cause` such as `SpawnError`) unless `result.success`.
   * @example
   * ```ts
   * const { stdout } = await engine.run({ command: exec('git', ['rev-parse', 'HEAD']) });
   * ```
   */
  async run(request: ExecutionRequest): Promise<ExecutionResult> {
    const id = await this.execute(request);
    const record = this.#registry.require(id);
    const result = await this.waitForCompletion(id);
    if (result.success) return result;
    throw new CommandFailedError(result, describeFailure(record), record.errorCause);
  }

  /**
   * Resolves with the result for every terminal status, also for executions that already ended.
   * Rejects only with `ExecutionNotFoundError`, `WaitTimeoutError` or the signal's reason.
   */
  async waitForCompletion(id: string, options?: WaitOptions): Promise<ExecutionResult> {
    const record = this.#registry.require(id);
    return record.result ?? this.#waiters.wait(id, options);
  }

  /** @throws ExecutionNotFoundError */
  getStatus(id: string): ExecutionStatus {
    return this.#registry.require(id).status;
  }

  /** A live view: status, pid, timestamps, output so far. @throws ExecutionNotFoundError */
  getExecution(id: string): ExecutionSnapshot {
    return this.#registry.require(id).snapshot();
  }

  /** The result, or `undefined` until terminal. @throws ExecutionNotFoundError */
  getResult(id: string): ExecutionResult | undefined {
    return this.#registry.require(id).result;
  }

  /** Snapshots of retained executions, oldest first, optionally filtered by status. */
  list(filter: ListFilter = {}): ExecutionSnapshot[] {
    const { status } = filter;
    const statuses =
      status === undefined ? undefined : new Set<string>(typeof status === 'string' ? [status] : status);
    return this.#registry.filter(statuses).map((record) => record.snapshot());
  }

  /**
   * Cancels a queued or running execution; for a running one the whole process group is
   * terminated. Resolves `true` once it is `cancelled`, `false` if it was already terminal.
   * @throws ExecutionNotFoundError
   */
  async cancel(id: string, reason?: string): Promise<boolean> {
    const record = this.#registry.require(id);
    if (isTerminal(record.status)) return false;
    return this.#stop(record, 'cancel', reason);
  }

  /**
   * Forgets a terminal execution. `false` for an unknown id.
   * @throws InvalidRequestError for one still queued or running.
   */
  removeExecution(id: string): boolean {
    const record = this.#registry.get(id);
    if (record === undefined) return false;
    if (!isTerminal(record.status)) {
      throw new InvalidRequestError('id', `Cannot remove execution \`${id}\` while it is ${record.status}`, {
        executionId: id,
      });
    }
    this.#forget(record);
    return this.#registry.delete(id);
  }

  /** Removes terminal executions past retention (age, then count); returns how many. */
  cleanup(): number {
    const { executionRetentionMs, maxInMemoryExecutions } = this.#config;
    const removed = this.#registry.evict(Date.now() - executionRetentionMs, maxInMemoryExecutions);
    for (const record of removed) this.#forget(record);
    return removed.length;
  }

  /**
   * Replays every retained event of an execution in order (same `seq` numbers live listeners
   * saw), then continues live, and ends after the terminal event. Breaking out of the loop or
   * aborting `signal` releases it.
   * @throws ExecutionNotFoundError
   * @example
   * ```ts
   * for await (const event of engine.subscribe(id)) {
   *   if (event.type === 'stdout') ui.append(event.line);
   * }
   * ```
   */
  subscribe(id: string, options: { signal?: AbortSignal } = {}): AsyncIterable<ExecutionEvent> {
    return this.#registry.require(id).log.subscribe(options.signal);
  }

  /** Adds a pluggable event handler; returns the function that removes it. */
  addEventHandler(handler: EventHandler): () => void {
    return this.#bus.addHandler(handler);
  }

  /** Live counts (`queued`, `running`, `retained`) and totals since construction. */
  stats(): EngineStats {
    return {
      queued: this.#scheduler.queued,
      running: this.#scheduler.running,
      retained: this.#registry.size,
      ...this.#totals,
    };
  }

  /**
   * Stops accepting work, cancels queued executions, waits up to `graceMs` for running ones,
   * then (with `kill`) terminates the rest as `cancelled` with reason `'shutdown'`. Idempotent.
   */
  shutdown(options: ShutdownOptions = {}): Promise<void> {
    this.#shutdown ??= this.#shutDown(options);
    return this.#shutdown;
  }

  async #shutDown({ graceMs = 30_000, kill = true }: ShutdownOptions): Promise<void> {
    clearInterval(this.#cleanupTimer);
    for (const id of this.#scheduler.drain()) {
      const record = this.#registry.get(id);
      if (record !== undefined) this.#stop(record, 'shutdown', 'shutdown');
    }
    const running = [...this.#runs.keys()].map((id) => this.#registry.require(id));
    const settled = Promise.all(running.map((record) => this.#waiters.wait(record.id)));
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, graceMs);
    });
    await Promise.race([settled, grace]);
    clearTimeout(timer);
    if (!kill) return;
    await Promise.all(running.map((record) => this.#stop(record, 'shutdown', 'shutdown')));
  }

  /** Terminates (or dequeues) an execution for `reason`; resolves true if it ended `cancelled`. */
  async #stop(record: ExecutionRecord, reason: TerminationReason, text?: string): Promise<boolean> {
    if (isTerminal(record.status)) return record.status === 'cancelled';
    record.terminationReason ??= reason;
    if (record.terminationReason === reason && text !== undefined) record.cancelReason ??= text;
    if (record.status === 'queued') {
      this.#scheduler.remove(record.id);
      this.#finish(record, { exitCode: null, signal: null }, false);
      return true;
    }
    await this.#runs.get(record.id)?.terminate();
    const result = record.result ?? (await this.#waiters.wait(record.id));
    return result.status === 'cancelled';
  }

  #start(record: ExecutionRecord): void {
    const run = startExecution(record, this.#startContext);
    if (run === undefined) return;
    this.#runs.set(record.id, run);
    run.start();
  }

  #finish(record: ExecutionRecord, outcome: RunOutcome, heldSlot: boolean): void {
    this.#runs.delete(record.id);
    applyOutcome(record, outcome);
    const result = record.finish(new Date());
    this.#registry.markTerminal(record);
    this.#totals[result.status as TerminalTotals]++;
    this.#emit(record, terminalEvent(record, result));
    this.#waiters.settle(result);
    // Freed after the terminal event, so observers never see more than the limit running.
    if (heldSlot) this.#scheduler.release();
    if (this.#registry.terminalCount > this.#config.maxInMemoryExecutions) this.cleanup();
  }

  /** Emits an event that is not a line, keeping it for replay first. */
  #emit(record: ExecutionRecord, event: ExecutionEvent): void {
    record.log.addControl(event);
    this.#bus.emit(event);
  }

  /** Deletes what a removed execution leaves on disk outside `logDir` (overflow files). */
  #forget(record: ExecutionRecord): void {
    if (record.stdout.overflowFile === undefined && record.stderr.overflowFile === undefined) return;
    void OutputCapture.removeTemporaryFiles(record, this.#config.logDir);
  }
}
