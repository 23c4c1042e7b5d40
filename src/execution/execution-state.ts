import type { RetryPolicy } from '../arguments/retry-options.js';
import type { ExecutionErrorInfo, ExecutionStatus } from '../types.js';
import { isTerminal } from '../types.js';
import {
  type Attempt,
  type EndedAttempt,
  endedAttempt,
  freezeAttempt,
  type MutableAttempt,
  newAttempt,
} from './attempt.js';
import type { Effect } from './effects.js';
import {
  type Decision,
  decideOutcome,
  type OutcomeContext,
  type RunOutcome,
  type TerminationReason,
} from './outcome.js';
import { backoffDelay, retryCondition } from './retry-policy.js';

/** A terminal state read back from a journal. */
export interface StoredEnding {
  status: ExecutionStatus;
  exitCode: number | null;
  signal: string | null;
  error: ExecutionErrorInfo | undefined;
  completedAt: Date;
  pid?: number | undefined;
  startedAt?: Date | undefined;
  /** Every attempt, when the journal kept them (the latest one otherwise comes from the fields above). */
  attempts?: readonly EndedAttempt[] | undefined;
}

/** Asks a retry rule given as a function whether to retry the attempt that ended with `decision`. */
export type RetryQuestion = (decision: Decision) => boolean;

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
 *   ▲  ╲──adopt / readBack (recovery)──▶ │
 *   └───────settle, retried (backoff)──────┘
 *   ├──stop (never started, or waiting for a retry)──▶ cancelled
 *   └──restore (recovery of a terminal record)──▶ terminal
 * ```
 */
export class ExecutionState {
  #status: ExecutionStatus = 'queued';
  #attempts: MutableAttempt[] = [];
  readonly #timeoutMs: number;
  #reason: TerminationReason | undefined;
  #cancelReason: string | undefined;
  #error: ExecutionErrorInfo | undefined;
  #errorCause: Error | undefined;
  #json: unknown;
  #completedAt: Date | undefined;
  /** True while the execution holds an admission slot. */
  #holdsSlot = false;
  /** The retry policy; dropped once terminal (a retained execution keeps no rule). */
  #retry: RetryPolicy | undefined;
  /** Stopped for something other than its timeout (cancel, shutdown, output limit): never retried. */
  #noRetry = false;
  /** While waiting to be retried: when the next attempt may start (epoch ms). */
  #nextAttemptAt: number | undefined;

  constructor(timeoutMs: number, retry?: RetryPolicy) {
    this.#timeoutMs = timeoutMs;
    this.#retry = retry;
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
  /** How many attempts began: the number of the current (or last) one. */
  get attemptCount(): number {
    return this.#attempts.length;
  }
  /** The latest attempt (a frozen copy), if any. */
  get lastAttempt(): Attempt | undefined {
    const attempt = this.#attempts.at(-1);
    return attempt === undefined ? undefined : freezeAttempt(attempt);
  }
  /** The retry policy, when the request has one. */
  get retry(): RetryPolicy | undefined {
    return this.#retry;
  }
  /** While waiting between attempts: when the next one may start (epoch ms). */
  get nextAttemptAt(): number | undefined {
    return this.#nextAttemptAt;
  }
  /** True while another attempt may still follow (the request must be kept to start it). */
  get mayRetry(): boolean {
    return this.#retry !== undefined && !this.#noRetry && this.#attempts.length < this.#retry.attempts;
  }
  /**
   * The latest attempt's pid and start time (an execution that never started has neither; one
   * waiting to be retried shows none).
   */
  get pid(): number | undefined {
    return this.#shown()?.pid;
  }
  get startedAt(): Date | undefined {
    return this.#attempts.at(-1)?.startedAt;
  }
  /** When the first attempt started: the start of `durationMs`. */
  get firstStartedAt(): Date | undefined {
    return this.#attempts.find((attempt) => attempt.startedAt !== undefined)?.startedAt;
  }
  get completedAt(): Date | undefined {
    return this.#completedAt;
  }
  get exitCode(): number | null {
    return this.#shown()?.exitCode ?? null;
  }
  get signal(): string | null {
    return this.#shown()?.signal ?? null;
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
    this.#nextAttemptAt = undefined;
    const retried = this.#attempts.length > 0;
    this.#add(newAttempt(this.#attempts.length + 1));
    // A retry collects its own output: the result's stdout is the last attempt's.
    return retried ? [{ type: 'newOutput' }] : [];
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
    this.#add(newAttempt(this.#attempts.length + 1, pid, startedAt));
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
      this.#add(newAttempt(this.#attempts.length + 1, attempt.pid, attempt.startedAt));
    }
    return [];
  }

  /**
   * Asks for the execution to end for `reason`. The first reason wins (`text` is kept with it).
   * A queued execution ends at once; a running one has its process group terminated.
   */
  stop(reason: TerminationReason, text?: string): Effect[] {
    if (this.terminal) return [];
    // A cancel after a timeout keeps the timeout as the reason, but still forbids a retry.
    if (reason !== 'timeout') this.#noRetry = true;
    this.#reason ??= reason;
    if (this.#reason === reason && text !== undefined) this.#cancelReason ??= text;
    if (this.#status === 'queued') {
      const waiting = this.#nextAttemptAt !== undefined;
      this.#nextAttemptAt = undefined;
      const effects: Effect[] = [{ type: 'dequeue' }, { type: 'settleUnstarted' }];
      return waiting ? [{ type: 'clearRetry' }, ...effects] : effects;
    }
    return [{ type: 'clearTimeout' }, { type: 'terminate' }];
  }

  /**
   * running (or a queued execution being stopped) → terminal, from how the process ended.
   * Returns the effects of the end: result, journal, terminal event, waiters, then the slot.
   * When the retry policy retries the attempt, running → queued instead (see {@link #retryAfter});
   * `ask` answers for a rule given as a function.
   */
  settle(outcome: RunOutcome, at: Date, context: OutcomeContext, ask?: RetryQuestion): Effect[] {
    if (this.terminal) throw new Error(`Execution ${context.id} is already ${this.#status}`);
    const decision = decideOutcome(this.#reason, outcome, {
      ...context,
      timeoutMs: this.#timeoutMs,
      cancelReason: this.#cancelReason,
    });
    const attempt = this.#attempts.at(-1);
    // Stopped while waiting for a retry: the last attempt has ended already and stays as it was.
    if (attempt !== undefined && attempt.completedAt === undefined) {
      attempt.completedAt = at;
      attempt.exitCode = outcome.exitCode;
      attempt.signal = outcome.signal;
      attempt.error = decision.error;
      attempt.status = decision.status;
      const delayMs = this.#retryDelay(decision, outcome.exitCode, ask);
      if (delayMs !== undefined) return this.#retryAfter(delayMs, at);
    }
    this.#status = decision.status;
    this.#retry = undefined;
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
    const { pid, startedAt, completedAt, exitCode, signal, error, status } = ending;
    if (ending.attempts !== undefined && ending.attempts.length > 0) {
      for (const attempt of ending.attempts) this.#add(endedAttempt(attempt));
    } else if (pid !== undefined || startedAt !== undefined) {
      const attempt = { ...newAttempt(1, pid, startedAt), completedAt, exitCode, signal, error };
      this.#add({ ...attempt, status: status as MutableAttempt['status'] });
    }
    this.#status = ending.status;
    this.#error = ending.error;
    this.#completedAt = ending.completedAt;
    return [
      { type: 'keepResult', counted: false },
      { type: 'terminalEvent', replayOnly: true },
    ];
  }

  /**
   * Recovery: the attempts a previous host ran to their end, before this execution goes on (it
   * stays `queued`; `nextAttemptAt`: when its next attempt may start, if it was waiting for one).
   */
  resume(attempts: readonly EndedAttempt[], nextAttemptAt?: number): Effect[] {
    this.#expect('queued', 'resume');
    if (this.#attempts.length > 0) throw new Error('Attempts can only be resumed before any runs');
    for (const attempt of attempts) this.#add(endedAttempt(attempt));
    this.#nextAttemptAt = nextAttemptAt;
    return [];
  }

  /** Recovery: a resumed execution that was waiting for a retry waits out the rest of its delay. */
  awaitRetry(): Effect[] {
    this.#expect('queued', 'awaitRetry');
    const at = this.#nextAttemptAt;
    if (at === undefined) throw new Error('The execution is not waiting for a retry');
    return [{ type: 'scheduleRetry', at }];
  }

  /**
   * The delay before retrying the attempt that just ended with `decision`, or `undefined` when it
   * is not retried: no policy, no attempts left, never retried (cancel, shutdown, spawn failure,
   * output limit, expiry, lost), a condition not in `on`, or a rule function that says no.
   */
  #retryDelay(
    decision: Decision,
    exitCode: number | null,
    ask: RetryQuestion | undefined,
  ): number | undefined {
    const policy = this.#retry;
    if (policy === undefined || !this.mayRetry) return undefined;
    const condition = retryCondition(this.#reason, decision, exitCode);
    if (condition === undefined) return undefined;
    const wanted = typeof policy.on === 'function' ? (ask?.(decision) ?? false) : policy.on.has(condition);
    return wanted ? backoffDelay(policy, this.#attempts.length) : undefined;
  }

  /**
   * running → queued, to be retried after `delayMs`: the attempt is recorded (journal), the
   * `retrying` event announces the next one, the slot is freed for others, then the re-submit is
   * scheduled. The termination reason (a timeout) belonged to the attempt that ended.
   */
  #retryAfter(delayMs: number, at: Date): Effect[] {
    this.#status = 'queued';
    this.#reason = undefined;
    this.#cancelReason = undefined;
    this.#nextAttemptAt = at.getTime() + delayMs;
    const effects: Effect[] = [
      { type: 'clearTimeout' },
      { type: 'forgetDriver' },
      { type: 'journalRetry' },
      { type: 'emitRetrying', delayMs },
    ];
    if (this.#holdsSlot) effects.push({ type: 'releaseSlot' });
    this.#holdsSlot = false;
    effects.push({ type: 'scheduleRetry', at: this.#nextAttemptAt });
    return effects;
  }

  /** The attempt snapshots describe: the latest, unless it ended and another is awaited. */
  #shown(): MutableAttempt | undefined {
    const attempt = this.#attempts.at(-1);
    if (attempt === undefined || (this.#status === 'queued' && attempt.completedAt !== undefined))
      return undefined;
    return attempt;
  }

  #current(): MutableAttempt {
    const attempt = this.#attempts.at(-1);
    if (attempt === undefined) throw new Error('No attempt is running');
    return attempt;
  }

  /**
   * Appends an attempt. The first one makes an array of exactly one (a pushed-to empty array would
   * keep room for about 16 more, which every retained execution would carry).
   */
  #add(attempt: MutableAttempt): void {
    if (this.#attempts.length === 0) this.#attempts = [attempt];
    else this.#attempts.push(attempt);
  }

  /**
   * Drops the spare room of the attempt list once the execution is terminal (after a retry it has
   * room for about 16 more attempts that will never come).
   */
  compact(): void {
    if (this.terminal && this.#attempts.length > 1) this.#attempts = this.#attempts.slice();
  }

  #expect(status: ExecutionStatus, transition: string): void {
    if (this.#status !== status) {
      throw new Error(
        `Invalid transition \`${transition}\` from \`${this.#status}\` (expected \`${status}\`)`,
      );
    }
  }
}
