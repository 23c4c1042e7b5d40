import type { ExecutionErrorInfo, ExecutionStatus } from '../types.js';
import { isTerminal } from '../types.js';
import { type Attempt, freezeAttempt, type MutableAttempt, newAttempt } from './attempt.js';
import type { Effect } from './effects.js';
import { decideOutcome, type OutcomeContext, type RunOutcome, type TerminationReason } from './outcome.js';

/** A terminal state read back from a journal. */
export interface StoredEnding {
  status: ExecutionStatus;
  exitCode: number | null;
  signal: string | null;
  error: ExecutionErrorInfo | undefined;
  completedAt: Date;
  pid?: number | undefined;
  startedAt?: Date | undefined;
}

const SETTLED: readonly Effect[] = [
  { type: 'clearTimeout' },
  { type: 'keepResult', counted: true },
  { type: 'journalTerminal' },
  { type: 'terminalEvent', replayOnly: false },
  { type: 'settleWaiters' },
];

/**
 * The state machine of one execution, and the only writer of its state: status, attempts,
 * timestamps, the termination reason (first reason wins) and the outcome. Each transition checks
 * where it comes from and returns the {@link Effect}s it implies; the coordinator carries them out.
 *
 * ```
 * queued ──start──▶ running ──settle──▶ completed | failed | timeout | cancelled
 *   │  ╲──adopt / readBack (recovery)──▶ running
 *   ├──stop (never started)──────────▶ cancelled
 *   └──restore (recovery of a terminal record)──▶ terminal
 * ```
 */
export class ExecutionState {
  #status: ExecutionStatus = 'queued';
  readonly #attempts: MutableAttempt[] = [];
  readonly #timeoutMs: number;
  #reason: TerminationReason | undefined;
  #cancelReason: string | undefined;
  #error: ExecutionErrorInfo | undefined;
  #errorCause: Error | undefined;
  #json: unknown;
  #completedAt: Date | undefined;
  /** True while the execution holds an admission slot. */
  #holdsSlot = false;

  constructor(timeoutMs: number) {
    this.#timeoutMs = timeoutMs;
  }

  get status(): ExecutionStatus {
    return this.#status;
  }
  get terminal(): boolean {
    return isTerminal(this.#status);
  }
  get timeoutMs(): number {
    return this.#timeoutMs;
  }
  get attempts(): readonly Attempt[] {
    return this.#attempts.map(freezeAttempt);
  }
  /** The latest attempt's pid and start time (an execution that never started has neither). */
  get pid(): number | undefined {
    return this.#attempts.at(-1)?.pid;
  }
  get startedAt(): Date | undefined {
    return this.#attempts.at(-1)?.startedAt;
  }
  get completedAt(): Date | undefined {
    return this.#completedAt;
  }
  get exitCode(): number | null {
    return this.#attempts.at(-1)?.exitCode ?? null;
  }
  get signal(): string | null {
    return this.#attempts.at(-1)?.signal ?? null;
  }
  get terminationReason(): TerminationReason | undefined {
    return this.#reason;
  }
  get cancelReason(): string | undefined {
    return this.#cancelReason;
  }
  get error(): ExecutionErrorInfo | undefined {
    return this.#error;
  }
  get errorCause(): Error | undefined {
    return this.#errorCause;
  }
  get json(): unknown {
    return this.#json;
  }

  /** queued → running: it takes a slot and a new attempt begins; its process is about to start. */
  start(): Effect[] {
    this.#expect('queued', 'start');
    this.#status = 'running';
    this.#holdsSlot = true;
    this.#attempts.push(newAttempt(this.#attempts.length + 1));
    return [];
  }

  /** The running attempt's process exists: announce it, journal it, start its timeout. */
  spawned(pid: number, at: Date): Effect[] {
    this.#expect('running', 'spawned');
    const attempt = this.#current();
    attempt.pid = pid;
    attempt.startedAt = at;
    const effects: Effect[] = [{ type: 'emitStarted' }, { type: 'journalStarted' }];
    // A timeout of 0 means none.
    if (this.#timeoutMs > 0) effects.push({ type: 'armTimeout', deadline: at.getTime() + this.#timeoutMs });
    return effects;
  }

  /**
   * Recovery: a process a previous host started still runs; take it over, with its original
   * deadline (`undefined`: it has no timeout).
   */
  adopt(pid: number, startedAt: Date | undefined, deadline: number | undefined): Effect[] {
    this.#expect('queued', 'adopt');
    this.#status = 'running';
    this.#holdsSlot = true;
    this.#attempts.push(newAttempt(this.#attempts.length + 1, pid, startedAt));
    return deadline === undefined ? [] : [{ type: 'armTimeout', deadline }];
  }

  /**
   * Recovery: a previous host's execution whose process is gone (`attempt`: what is known of the
   * process it started, if it started one); its output is read back, then it settles.
   */
  readBack(attempt?: { pid?: number; startedAt?: Date }): Effect[] {
    this.#expect('queued', 'readBack');
    this.#status = 'running';
    if (attempt !== undefined) {
      this.#attempts.push(newAttempt(this.#attempts.length + 1, attempt.pid, attempt.startedAt));
    }
    return [];
  }

  /**
   * Asks for the execution to end for `reason`. The first reason wins (`text` is kept with it).
   * A queued execution ends at once; a running one has its process group terminated.
   */
  stop(reason: TerminationReason, text?: string): Effect[] {
    if (this.terminal) return [];
    this.#reason ??= reason;
    if (this.#reason === reason && text !== undefined) this.#cancelReason ??= text;
    if (this.#status === 'queued') return [{ type: 'dequeue' }, { type: 'settleUnstarted' }];
    return [{ type: 'clearTimeout' }, { type: 'terminate' }];
  }

  /**
   * running (or a queued execution being stopped) → terminal, from how the process ended.
   * Returns the effects of the end: result, journal, terminal event, waiters, then the slot.
   */
  settle(outcome: RunOutcome, at: Date, context: OutcomeContext): Effect[] {
    if (this.terminal) throw new Error(`Execution ${context.id} is already ${this.#status}`);
    const decision = decideOutcome(this.#reason, outcome, {
      ...context,
      timeoutMs: this.#timeoutMs,
      cancelReason: this.#cancelReason,
    });
    const attempt = this.#attempts.at(-1);
    if (attempt !== undefined) {
      attempt.completedAt = at;
      attempt.exitCode = outcome.exitCode;
      attempt.signal = outcome.signal;
      attempt.error = decision.error;
    }
    this.#status = decision.status;
    this.#error = decision.error;
    this.#errorCause = decision.errorCause;
    this.#json = decision.json;
    this.#completedAt = at;
    const effects = [...SETTLED];
    if (this.#holdsSlot) effects.push({ type: 'releaseSlot' });
    this.#holdsSlot = false;
    return effects;
  }

  /** Recovery: an execution that was already terminal when its host stopped; no event, no write. */
  restore(ending: StoredEnding): Effect[] {
    this.#expect('queued', 'restore');
    if (!isTerminal(ending.status)) throw new Error(`Cannot restore a ${ending.status} execution`);
    const { pid, startedAt, completedAt, exitCode, signal, error } = ending;
    if (pid !== undefined || startedAt !== undefined) {
      this.#attempts.push({ ...newAttempt(1, pid, startedAt), completedAt, exitCode, signal, error });
    }
    this.#status = ending.status;
    this.#error = ending.error;
    this.#completedAt = ending.completedAt;
    return [
      { type: 'keepResult', counted: false },
      { type: 'terminalEvent', replayOnly: true },
    ];
  }

  #current(): MutableAttempt {
    const attempt = this.#attempts.at(-1);
    if (attempt === undefined) throw new Error('No attempt is running');
    return attempt;
  }

  #expect(status: ExecutionStatus, transition: string): void {
    if (this.#status !== status) {
      throw new Error(
        `Invalid transition \`${transition}\` from \`${this.#status}\` (expected \`${status}\`)`,
      );
    }
  }
}
