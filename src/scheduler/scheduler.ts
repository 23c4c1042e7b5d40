import { ConcurrencyLimitReachedError } from '../errors.js';
import type { Admission, AdmissionLimits } from './admission.js';

/** The limits the scheduler enforces (from the engine config). */
export type SchedulerLimits = AdmissionLimits;

/**
 * The built-in {@link Admission}: starts jobs under a concurrency limit, in submission order, at
 * most one per `minStartIntervalMs`. A slot is held from `start()` until `release()`.
 *
 * Our own rather than p-queue (which the design card names), measured in
 * `bench/admission/compare.mjs` and docs/performance.md: p-queue counts its interval from before a
 * task runs, so a spawn taking a few milliseconds eats into the next gap; it frees a slot
 * microtasks after the task's promise settles, so `release()` cannot start the next job; its own
 * queue removes in O(n). It passes 8 of the 18 tests of the conformance suite.
 */
export class Scheduler implements Admission {
  readonly #limits: SchedulerLimits;
  /** Waiting jobs in FIFO order; a Map so a queued job is removed in O(1) on cancel. */
  readonly #queue = new Map<string, () => void>();
  #running = 0;
  #lastStartAt = Number.NEGATIVE_INFINITY;
  /** Pacing timer; ref'd on purpose: queued work should keep the process alive. */
  #timer: NodeJS.Timeout | undefined;
  #pumping = false;

  constructor(limits: SchedulerLimits) {
    this.#limits = limits;
  }

  /** Executions holding a slot. */
  get running(): number {
    return this.#running;
  }

  /** Executions waiting for a slot. */
  get queued(): number {
    return this.#queue.size;
  }

  /**
   * Throws `ConcurrencyLimitReachedError` if a job submitted now would be refused. Call before
   * registering anything, so a refused request leaves no trace.
   */
  assertAccepts(): void {
    const { maxConcurrentExecutions, onConcurrencyLimit, maxQueuedExecutions } = this.#limits;
    const slotFree = this.#running + this.#queue.size < maxConcurrentExecutions;
    if (onConcurrencyLimit === 'reject' && !slotFree) {
      throw new ConcurrencyLimitReachedError(
        maxConcurrentExecutions,
        `Concurrency limit reached: ${maxConcurrentExecutions} executions are running`,
      );
    }
    if (!slotFree && this.#queue.size >= maxQueuedExecutions) {
      throw new ConcurrencyLimitReachedError(
        maxQueuedExecutions,
        `Queue limit reached: ${maxQueuedExecutions} executions are waiting`,
      );
    }
  }

  /** Queues `start` under `id`; returns its queue position (0 when it started at once). */
  submit(id: string, start: () => void): number {
    this.#queue.set(id, start);
    this.#pump();
    return this.#queue.has(id) ? this.#queue.size : 0;
  }

  /** Takes a slot for a job that is already running (adopted after a restart). */
  occupy(): void {
    this.#running++;
  }

  /** Frees the slot of a job that ended, and starts the next one. */
  release(): void {
    this.#running--;
    this.#pump();
  }

  /** Removes a job that has not started; false when it is not queued. */
  remove(id: string): boolean {
    return this.#queue.delete(id);
  }

  /** Empties the queue and returns the ids that were waiting, oldest first. */
  drain(): string[] {
    const ids = [...this.#queue.keys()];
    this.#queue.clear();
    this.#clearTimer();
    return ids;
  }

  #pump(): void {
    if (this.#pumping) return;
    this.#pumping = true;
    try {
      while (this.#queue.size > 0 && this.#running < this.#limits.maxConcurrentExecutions) {
        const wait = this.#lastStartAt + this.#limits.minStartIntervalMs - performance.now();
        if (wait > 0) {
          this.#timer ??= setTimeout(() => {
            this.#timer = undefined;
            this.#pump();
          }, Math.ceil(wait));
          return;
        }
        const [id, start] = this.#queue.entries().next().value as [string, () => void];
        this.#queue.delete(id);
        this.#running++;
        start();
        // Measured after the (synchronous) spawn, so the gap between spawns is never shorter.
        this.#lastStartAt = performance.now();
      }
      if (this.#queue.size === 0) this.#clearTimer();
    } finally {
      this.#pumping = false;
    }
  }

  #clearTimer(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
