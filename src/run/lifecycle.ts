import type { ExecutionConfig } from '../config.js';
import { InvalidRequestError } from '../errors.js';
import type { EventBus } from '../events/event-bus.js';
import type { ExecutionEvent } from '../events/event-types.js';
import type { EndedAttempt } from '../execution/attempt.js';
import type { StoredEnding } from '../execution/execution-state.js';
import type { RunOutcome, TerminationReason } from '../execution/outcome.js';
import { InputError, type ProcessDriver } from '../execution/process-driver.js';
import { OutputDir } from '../io/output-dir.js';
import { removeTemporaryOverflowFiles } from '../io/overflow-files.js';
import type { Durability } from '../journal/durability.js';
import { executionObserver } from '../observe/observer.js';
import type { Admission } from '../scheduler/admission.js';
import { Scheduler } from '../scheduler/scheduler.js';
import { toSpawnError } from '../spawn/spawn-process.js';
import type { ExecutionRecord } from '../state/execution-record.js';
import { makeEvent } from '../state/make-event.js';
import { Registry } from '../state/registry.js';
import { Retention } from '../state/retention.js';
import { Waiters } from '../state/waiters.js';
import type { EngineStats, ExecutionRequest, ExecutionResult, UntypedMeta, WaitOptions } from '../types.js';
import { describeValue } from '../utils/describe-value.js';
import { admissionOptions } from './admission-options.js';
import { EffectRunner, type Totals } from './effect-runner.js';
import { askRetryRule } from './retry-rule.js';
import { type RunFactory, type StartContext, startExecution, wireRun } from './start-execution.js';

/**
 * The coordinator of executions: it asks each execution's state machine for a transition and
 * carries out the effects the transition returns (events, journal writes, timeouts, admission
 * slots, waiters, process drivers). It never writes execution state itself. Everything it keeps
 * is private; other modules use its methods.
 */
export class Lifecycle {
  readonly config: ExecutionConfig;
  readonly bus: EventBus;
  /** The journal, when there is one. */
  readonly durability: Durability | undefined;
  readonly #registry = new Registry();
  readonly #scheduler: Admission;
  readonly #waiters = new Waiters();
  /** Process drivers of running executions, by id. */
  readonly #drivers = new Map<string, ProcessDriver>();
  readonly #totals: Totals = { completed: 0, failed: 0, timeout: 0, cancelled: 0 };
  /** Bytes read from every process's stdout and stderr, counted by output capture. */
  readonly #outputBytes = { stdout: 0, stderr: 0 };
  readonly #effects: EffectRunner;
  readonly #retention: Retention;
  readonly #context: StartContext;
  /** The private directory of `EXECUTION_OUTPUT` files (made on the first start, removed at shutdown). */
  readonly outputDir = new OutputDir();
  /**
   * Told of every event (not lines) of an execution that is a pipeline's step, after it is
   * emitted: how pipelines follow their steps.
   */
  onStepEvent: ((record: ExecutionRecord, event: ExecutionEvent) => void) | undefined;

  constructor(config: ExecutionConfig, bus: EventBus, durability: Durability | undefined) {
    this.config = config;
    this.bus = bus;
    this.durability = durability;
    this.#scheduler = new Scheduler(config);
    this.#retention = new Retention(this.#registry, config, (id) => durability?.remove(id));
    this.#effects = new EffectRunner({
      registry: this.#registry,
      scheduler: this.#scheduler,
      waiters: this.#waiters,
      drivers: this.#drivers,
      totals: this.#totals,
      durability,
      emit: (record, event) => this.emit(record, event),
      stop: (record, reason) => void this.stop(record, reason),
      settleUnstarted: (record) => this.settle(record, { exitCode: null, signal: null }),
      resubmit: (record) => this.#resubmit(record),
      discardFiles: (files) => void removeTemporaryOverflowFiles(files, config.logDir),
    });
    this.#context = {
      config,
      bus,
      durability,
      outputBytes: this.#outputBytes,
      emit: (record, event) => this.emit(record, event),
      stop: (record, reason) => void this.stop(record, reason),
      spawned: (record, pid) => this.#effects.apply(record, record.state.spawned(pid, new Date())),
      settle: (record, outcome) => this.settle(record, outcome),
      outputDir: this.outputDir,
    };
    const observe = executionObserver((id) => this.#registry.get(id)?.snapshot());
    // With a journal, the latest progress goes into the execution's record too (paced there).
    bus.tap =
      durability === undefined
        ? observe
        : (event) => {
            observe(event);
            if (event.type === 'progress') durability.progress(event.executionId, event.progress);
          };
    bus.onPressure = (id, paused) => {
      const driver = this.#drivers.get(id);
      if (paused) driver?.hold();
      else driver?.release();
    };
  }

  /** The retained execution `id`, if any. */
  get(id: string): ExecutionRecord | undefined {
    return this.#registry.get(id);
  }

  /** @throws ExecutionNotFoundError */
  require(id: string): ExecutionRecord {
    return this.#registry.require(id);
  }

  /** Retained executions, oldest first, optionally only those with one of `statuses`. */
  list(statuses?: ReadonlySet<string>): ExecutionRecord[] {
    return this.#registry.filter(statuses);
  }

  /** Live counts and totals since construction. */
  stats(): EngineStats {
    const { queued, running } = this.#scheduler;
    // Executions waiting for a retry are queued too, though not in admission's queue yet.
    const waiting = this.#effects.waitingRetries;
    const groups = this.#scheduler.groups();
    const outputBytes = { ...this.#outputBytes };
    return {
      queued: queued + waiting,
      running,
      retained: this.#registry.size,
      ...this.#totals,
      groups,
      outputBytes,
    };
  }

  /** Throws `ConcurrencyLimitReachedError` if a new execution (of `group`) would be refused now. */
  assertAccepts(group?: string): void {
    this.#scheduler.assertAccepts(group);
  }

  /**
   * Registers a record, journals it (when there is a journal) and queues it; a free slot starts
   * it at once. Rejects (and unregisters) if the journal cannot record it. `first` is an event to
   * emit before any other (recovery's `recovered`); aborting `signal` cancels it.
   */
  async submit(
    record: ExecutionRecord,
    request: ExecutionRequest,
    first?: ExecutionEvent,
    signal?: AbortSignal,
  ): Promise<void> {
    this.#registry.add(record);
    if (first !== undefined) this.emit(record, first);
    if (signal !== undefined) this.#cancelOnAbort(record, signal);
    if (this.durability !== undefined) {
      try {
        await this.durability.queued(record, request);
      } catch (error) {
        if (!record.state.terminal) this.#registry.delete(record.id);
        throw error;
      }
      // Cancelled (or shut down) while the journal was written: it is settled, never queued.
      if (record.state.terminal) return;
    }
    // Recovered while waiting for a retry: it waits out the rest of its delay first.
    if (record.state.nextAttemptAt !== undefined) {
      this.#effects.apply(record, record.state.awaitRetry());
      return;
    }
    const expire = () => void this.stop(record, 'expired');
    const position = this.#scheduler.submit(
      record.id,
      () => this.#start(record),
      admissionOptions(record, expire),
    );
    if (position > 0) this.emit(record, makeEvent(record, 'queued', { position }));
  }

  /** Adds a record read back from a journal, still `queued` until a recovery transition. */
  register(record: ExecutionRecord): void {
    this.#registry.add(record);
  }

  /**
   * Recovery: the attempts a previous host ran to their end, before the execution goes on (adopted,
   * read back, or queued again; `nextAttemptAt`: it was waiting for a retry until then).
   */
  resume(record: ExecutionRecord, attempts: readonly EndedAttempt[], nextAttemptAt?: number): void {
    this.#effects.apply(record, record.state.resume(attempts, nextAttemptAt));
  }

  /** Recovery: takes over a process a previous host started; it holds a slot and keeps its deadline. */
  adopt(
    record: ExecutionRecord,
    pid: number,
    startedAt: Date | undefined,
    deadline: number | undefined,
    factory: RunFactory,
  ): void {
    const effects = record.state.adopt(pid, startedAt, deadline);
    this.#scheduler.occupy(record.id, { group: record.admission.group });
    const driver = wireRun(record, this.#context, factory, true);
    this.#drivers.set(record.id, driver);
    this.#effects.apply(record, effects);
    driver.start();
  }

  /** Recovery: a previous host's execution whose process is gone; settle it with {@link settle} next. */
  readBack(record: ExecutionRecord, attempt?: { pid?: number; startedAt?: Date }): void {
    this.#effects.apply(record, record.state.readBack(attempt));
  }

  /** Recovery: an execution that was terminal when its host stopped; kept for queries and replay. */
  restore(record: ExecutionRecord, ending: StoredEnding): void {
    this.#effects.apply(record, record.state.restore(ending));
  }

  /** Terminates (or dequeues) an execution for `reason`; resolves true if it ended `cancelled`. */
  async stop(record: ExecutionRecord, reason: TerminationReason, text?: string): Promise<boolean> {
    if (record.state.terminal) return record.status === 'cancelled';
    this.#effects.apply(record, record.state.stop(reason, text));
    if (!record.state.terminal) await this.#drivers.get(record.id)?.terminate();
    const result = record.result ?? (await this.#waiters.wait(record.id));
    return result.status === 'cancelled';
  }

  /**
   * Settles an execution from how its process ended (or never started); `stoppedFor` first gives
   * it a termination reason (recovery cancelling one that never ran).
   */
  settle(record: ExecutionRecord, outcome: RunOutcome, stoppedFor?: [TerminationReason, string]): void {
    if (stoppedFor !== undefined) this.#effects.apply(record, record.state.stop(...stoppedFor));
    const context = {
      id: record.id,
      command: record.command,
      limitBytes: this.config.maxOutputSizeBytes,
      parseJson: record.parseJson,
      stdout: () => record.stdout.buffer.text(),
      spawnError: (error: unknown) => toSpawnError(error, record.command, record.id),
      queueTimeoutMs: record.admission.queueTimeoutMs,
    };
    const ask = (decision: Parameters<typeof askRetryRule>[1]) => askRetryRule(record, decision);
    this.#effects.apply(record, record.state.settle(outcome, new Date(), context, ask));
    if (record.state.terminal) this.#retention.afterSettle();
  }

  /** Resolves with the result of `id` once terminal (see {@link Waiters.wait}). */
  wait(id: string, options?: WaitOptions): Promise<ExecutionResult<UntypedMeta>> {
    return this.#waiters.wait(id, options);
  }

  /** Emits an event that is not a line, keeping it for replay first. */
  emit(record: ExecutionRecord, event: ExecutionEvent): void {
    record.log.addControl(event);
    this.bus.emit(event);
    if (record.pipeline !== undefined) this.onStepEvent?.(record, event);
  }

  /** Removes terminal executions past retention (age, then count); returns how many. */
  cleanup(): number {
    return this.#retention.cleanup();
  }

  /** Removes one terminal execution and what it keeps on disk. */
  remove(record: ExecutionRecord): void {
    this.#retention.remove(record);
  }

  /** Shutdown: every execution not started yet (queued, or still being journaled). */
  unstarted(): ExecutionRecord[] {
    this.#scheduler.drain();
    return this.#registry.filter(new Set(['queued']));
  }

  /** Shutdown: every execution whose process runs. */
  running(): ExecutionRecord[] {
    return [...this.#drivers.keys()].map((id) => this.#registry.require(id));
  }

  /** Shutdown with `kill: false`: lets every journaled process run on for the next engine. */
  async detachAll(): Promise<void> {
    this.#effects.clearTimeouts();
    await Promise.all([...this.#drivers.values()].map((driver) => driver.detach?.()));
  }

  /**
   * Writes to the stdin of execution `id` (`stdin: 'pipe'`, running); resolves once the data is
   * handed to the pipe.
   * @throws ExecutionNotFoundError; InvalidRequestError (field `data`, `stdin` or `id`) for data
   * that is not a string or Uint8Array, an execution without `stdin: 'pipe'`, one not running, or
   * closed stdin.
   */
  async writeInput(id: string, data: string | Uint8Array): Promise<void> {
    const record = this.#registry.require(id);
    if (typeof data !== 'string' && !(data instanceof Uint8Array)) {
      throw new InvalidRequestError(
        'data',
        `Expected the data for \`writeInput\` to be a string or Uint8Array, got ${describeValue(data)}`,
        { executionId: id },
      );
    }
    const driver = this.#inputDriver(record, 'write to');
    try {
      await driver.writeInput?.(data);
    } catch (error) {
      throw inputError(record, 'write to', error);
    }
  }

  /**
   * Ends the stdin of execution `id` (`stdin: 'pipe'`). Idempotent: closed stdin or a terminal
   * execution resolves at once.
   * @throws ExecutionNotFoundError; InvalidRequestError for an execution without `stdin: 'pipe'`
   * or one still queued.
   */
  async closeInput(id: string): Promise<void> {
    const record = this.#registry.require(id);
    if (record.stdin === 'pipe' && record.state.terminal) return;
    const driver = this.#inputDriver(record, 'close');
    try {
      await driver.closeInput?.();
    } catch (error) {
      throw inputError(record, 'close', error);
    }
  }

  /** The driver of a running `stdin: 'pipe'` execution that can take input. */
  #inputDriver(record: ExecutionRecord, action: string): ProcessDriver {
    if (record.stdin !== 'pipe') throw inputError(record, action, new InputError('notPipe', ''));
    const driver = this.#drivers.get(record.id);
    if (driver !== undefined && driver.writeInput !== undefined && driver.closeInput !== undefined) {
      return driver;
    }
    const reason = record.state.terminal ? 'exited' : 'notStarted';
    throw inputError(record, action, new InputError(reason, ''));
  }

  /** Cancels `record` when `signal` aborts (the reason, as text, is the cancel reason), until it ends. */
  #cancelOnAbort(record: ExecutionRecord, signal: AbortSignal): void {
    const onAbort = () => void this.stop(record, 'cancel', abortReason(signal.reason));
    signal.addEventListener('abort', onAbort, { once: true });
    record.onTerminal(() => signal.removeEventListener('abort', onAbort));
  }

  /**
   * A retry's delay is over: back to admission, like a new submission with the same priority and
   * group (and no queue deadline: that applies to the first start only).
   */
  #resubmit(record: ExecutionRecord): void {
    if (record.state.terminal) return;
    const expire = () => void this.stop(record, 'expired');
    const position = this.#scheduler.submit(
      record.id,
      () => this.#start(record),
      admissionOptions(record, expire),
    );
    if (position > 0) this.emit(record, makeEvent(record, 'queued', { position }));
  }

  #start(record: ExecutionRecord): void {
    this.#effects.apply(record, record.state.start());
    const driver = startExecution(record, this.#context);
    this.#drivers.set(record.id, driver);
    driver.start();
  }
}

/** The `InvalidRequestError` for a refused `writeInput`/`closeInput` (the driver's error as cause). */
function inputError(record: ExecutionRecord, action: string, error: unknown): unknown {
  if (!(error instanceof InputError)) return error;
  const { id } = record;
  const prefix = `Cannot ${action} the stdin of execution \`${id}\``;
  switch (error.reason) {
    case 'notPipe':
      return new InvalidRequestError('stdin', `${prefix}: it was not started with \`stdin: 'pipe'\``, {
        executionId: id,
      });
    case 'notStarted':
      return new InvalidRequestError(
        'id',
        `${prefix}: it is ${record.status} and its process has not started yet; wait for its 'started' event`,
        { executionId: id, cause: error },
      );
    case 'closed':
      return new InvalidRequestError('id', `${prefix}: its stdin is closed (closeInput was called)`, {
        executionId: id,
        cause: error,
      });
    case 'exited':
      return new InvalidRequestError(
        'id',
        `${prefix}: ${record.state.terminal ? `it is ${record.status}` : error.message || 'its process has exited'}`,
        { executionId: id, cause: error },
      );
  }
}

/** An abort reason as text: an error's message, a string as is. */
function abortReason(reason: unknown): string {
  if (reason instanceof Error) return reason.message;
  return reason === undefined ? 'aborted' : String(reason);
}
