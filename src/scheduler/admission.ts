import type { ConcurrencyLimitBehavior } from '../config.js';

/** The limits admission enforces (from the engine config). */
export interface AdmissionLimits {
  maxConcurrentExecutions: number;
  onConcurrencyLimit: ConcurrencyLimitBehavior;
  maxQueuedExecutions: number;
  minStartIntervalMs: number;
}

/**
 * The `Admission` port: decides which execution starts next and when. The engine registers an
 * execution, asks `assertAccepts()`, then `submit()`s it with a `start` callback that spawns its
 * process; it calls `release()` once that execution is terminal.
 *
 * Every implementation (the built-in `Scheduler`; later priority and groups, a BullMQ worker)
 * passes the one conformance suite in `test/scheduler/admission-conformance.ts`. What it checks:
 *
 * - **Synchronous start.** When a slot is free and pacing allows, `submit()` calls `start` before
 *   it returns and returns 0: the process is spawned in the same tick as `execute()`.
 * - **FIFO.** Waiting executions start in submission order.
 * - **The limit.** At most `maxConcurrentExecutions` slots are held by started executions; a slot
 *   is held from `start` until `release()`, not until `start` returns.
 * - **Positions.** A waiting execution's `submit()` returns its 1-based place in the queue.
 * - **Removal.** `remove(id)` takes a waiting execution out in O(1); it never starts.
 * - **Drain.** `drain()` empties the queue and returns the ids oldest first; none of them starts.
 * - **occupy/release.** `occupy()` holds a slot for an execution that is already running (adopted
 *   after a restart), even past the limit; `release()` frees one slot and starts the next waiting
 *   executions that now fit, synchronously.
 * - **Refusal.** `assertAccepts()` throws `ConcurrencyLimitReachedError` (with `limit`) in
 *   `'reject'` mode when every slot is taken, and when `maxQueuedExecutions` are waiting.
 * - **Pacing.** Two starts are never closer than `minStartIntervalMs`, measured from the end of
 *   one `start` call (the spawn) to the beginning of the next. An execution that has a free slot
 *   but must wait for pacing is queued. Only waiting work holds a timer.
 */
export interface Admission {
  /** Executions holding a slot. */
  readonly running: number;
  /** Executions waiting for a slot or for pacing. */
  readonly queued: number;
  /**
   * Throws `ConcurrencyLimitReachedError` if an execution submitted now would be refused. Called
   * before anything is registered, so a refused request leaves no trace.
   */
  assertAccepts(): void;
  /**
   * Queues `start` under `id`. Returns 0 when it started at once (`start` has run), else its
   * position in the queue (1 = next).
   */
  submit(id: string, start: () => void): number;
  /** Takes a slot for an execution that is already running (adopted after a restart). */
  occupy(): void;
  /** Frees the slot of an execution that is terminal, and starts the next ones that fit. */
  release(): void;
  /** Removes a waiting execution (O(1)); false when it is not waiting. */
  remove(id: string): boolean;
  /** Empties the queue and returns the ids that were waiting, oldest first. */
  drain(): string[];
}

/** Builds an admission for the given limits (what the conformance suite is given). */
export type AdmissionFactory = (limits: AdmissionLimits) => Admission;
