import type { ExecutionConfig } from '../config.js';
import type { EventBus } from '../events/event-bus.js';
import type { ExecutionEvent } from '../events/event-types.js';
import { makeEvent } from '../events/make-event.js';
import { terminalEvent } from '../events/terminal-event.js';
import { OutputCapture } from '../io/output-capture.js';
import type { Durability } from '../journal/durability.js';
import { Scheduler } from '../scheduler/scheduler.js';
import type { ExecutionRecord, TerminationReason } from '../state/execution-record.js';
import { Registry } from '../state/registry.js';
import { Waiters } from '../state/waiters.js';
import type { ExecutionRequest } from '../types.js';
import { isTerminal } from '../types.js';
import type { ExecutionRun, RunListener, RunOptions, RunOutcome } from './execution-run.js';
import { applyOutcome } from './outcome.js';
import { type StartContext, startExecution, wireRun } from './start-execution.js';

type Totals = Record<'completed' | 'failed' | 'timeout' | 'cancelled', number>;

/**
 * The state machine of executions: registers them, queues and starts them, stops them for a
 * reason (first reason wins), and settles them exactly once with one terminal event, last.
 * Keeps the journal (when there is one) in step at every transition.
 */
export class Lifecycle {
  readonly registry = new Registry();
  readonly scheduler: Scheduler;
  readonly waiters = new Waiters();
  /** Running processes by execution id. */
  readonly runs = new Map<string, ExecutionRun>();
  readonly totals: Totals = { completed: 0, failed: 0, timeout: 0, cancelled: 0 };
  readonly config: ExecutionConfig;
  readonly bus: EventBus;
  readonly durability: Durability | undefined;
  readonly #context: StartContext;

  constructor(config: ExecutionConfig, bus: EventBus, durability: Durability | undefined) {
    this.config = config;
    this.bus = bus;
    this.durability = durability;
    this.scheduler = new Scheduler(config);
    this.#context = {
      config,
      bus,
      durability,
      emit: (record, event) => this.emit(record, event),
      stop: (record, reason) => void this.stop(record, reason),
      finish: (record, outcome) => this.finish(record, outcome, true),
    };
    bus.onPressure = (id, paused) => {
      const run = this.runs.get(id);
      if (paused) run?.hold();
      else run?.release();
    };
  }

  /**
   * Registers a record, journals it (when there is a journal) and queues it; a free slot starts
   * it at once. Rejects (and unregisters) if the journal cannot record it. `first` is an event to
   * emit before any other (recovery's `recovered`).
   */
  async submit(record: ExecutionRecord, request: ExecutionRequest, first?: ExecutionEvent): Promise<void> {
    this.registry.add(record);
    if (first !== undefined) this.emit(record, first);
    if (this.durability !== undefined) {
      try {
        await this.durability.queued(record, request);
      } catch (error) {
        if (!isTerminal(record.status)) this.registry.delete(record.id);
        throw error;
      }
      // Cancelled (or shut down) while the journal was written: it is settled, never queued.
      if (isTerminal(record.status)) return;
    }
    const position = this.scheduler.submit(record.id, () => this.#start(record));
    if (position > 0) this.emit(record, makeEvent(record, 'queued', { position }));
  }

  /** Runs `run` for a record that is already running (adopted after a restart); it holds a slot. */
  attach(record: ExecutionRecord, run: ExecutionRun): void {
    this.scheduler.occupy();
    this.runs.set(record.id, run);
    run.start();
  }

  /** Terminates (or dequeues) an execution for `reason`; resolves true if it ended `cancelled`. */
  async stop(record: ExecutionRecord, reason: TerminationReason, text?: string): Promise<boolean> {
    if (isTerminal(record.status)) return record.status === 'cancelled';
    record.terminationReason ??= reason;
    if (record.terminationReason === reason && text !== undefined) record.cancelReason ??= text;
    if (record.status === 'queued') {
      this.scheduler.remove(record.id);
      this.finish(record, { exitCode: null, signal: null }, false);
      return true;
    }
    await this.runs.get(record.id)?.terminate();
    const result = record.result ?? (await this.waiters.wait(record.id));
    return result.status === 'cancelled';
  }

  /** Settles an execution: status from its outcome, result, terminal event, waiters, slot. */
  finish(record: ExecutionRecord, outcome: RunOutcome, heldSlot: boolean): void {
    this.runs.delete(record.id);
    applyOutcome(record, outcome);
    const result = record.finish(new Date());
    this.registry.markTerminal(record);
    this.totals[result.status as keyof Totals]++;
    void this.durability?.terminal(record);
    this.emit(record, terminalEvent(record, result));
    this.waiters.settle(result);
    // Freed after the terminal event, so observers never see more than the limit running.
    if (heldSlot) this.scheduler.release();
    if (this.registry.terminalCount > this.config.maxInMemoryExecutions) this.cleanup();
  }

  /** Emits an event that is not a line, keeping it for replay first. */
  emit(record: ExecutionRecord, event: ExecutionEvent): void {
    record.log.addControl(event);
    this.bus.emit(event);
  }

  /** Removes terminal executions past retention (age, then count); returns how many. */
  cleanup(): number {
    const { executionRetentionMs, maxInMemoryExecutions } = this.config;
    const removed = this.registry.evict(Date.now() - executionRetentionMs, maxInMemoryExecutions);
    for (const record of removed) this.#forget(record);
    return removed.length;
  }

  /** Removes one terminal execution and what it keeps on disk. */
  remove(record: ExecutionRecord): void {
    this.registry.delete(record.id);
    this.#forget(record);
  }

  /** Wires a run for a record adopted after a restart; `factory` builds it. */
  adoptRun<T extends ExecutionRun>(
    record: ExecutionRecord,
    factory: (listener: RunListener, options: RunOptions) => T,
  ): T {
    let built: T | undefined;
    wireRun(
      record,
      this.#context,
      (listener, options) => {
        built = factory(listener, options);
        return built;
      },
      true,
    );
    return built!;
  }

  #start(record: ExecutionRecord): void {
    const run = startExecution(record, this.#context);
    if (run === undefined) return;
    this.runs.set(record.id, run);
    run.start();
  }

  /** Deletes what a removed execution leaves on disk: journal files, overflow files outside `logDir`. */
  #forget(record: ExecutionRecord): void {
    this.durability?.remove(record.id);
    if (record.stdout.overflowFile === undefined && record.stderr.overflowFile === undefined) return;
    void OutputCapture.removeTemporaryFiles(record, this.config.logDir);
  }
}
