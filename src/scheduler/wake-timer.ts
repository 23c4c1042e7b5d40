import { MAX_TIMER_DELAY_MS } from '../utils/long-timer.js';

/**
 * The scheduler's one timer, for whatever comes first: a pacing interval ending, a queued
 * execution's deadline, an idle group's pacing state to forget. Re-armed only when the next wake
 * moves earlier (or is gone), so queueing thousands of executions creates no timer per execution;
 * a wake that comes too early just arms again. Ref'd only while it serves waiting work: queued
 * executions keep Node alive, as they always did, and an idle engine never does.
 */
export class WakeTimer {
  readonly #onWake: () => void;
  #timer: NodeJS.Timeout | undefined;
  /** `performance.now()` at which the armed timer fires. */
  #at = Number.POSITIVE_INFINITY;
  #ref = false;

  constructor(onWake: () => void) {
    this.#onWake = onWake;
  }

  /** Wakes at `at` (`performance.now()` time; Infinity: never), keeping Node alive when `ref`. */
  arm(at: number, ref: boolean): void {
    if (at === Number.POSITIVE_INFINITY) {
      this.clear();
      return;
    }
    if (this.#timer !== undefined && this.#at <= at) {
      if (ref !== this.#ref) {
        if (ref) this.#timer.ref();
        else this.#timer.unref();
        this.#ref = ref;
      }
      return;
    }
    this.clear();
    const delay = Math.min(Math.max(Math.ceil(at - performance.now()), 0), MAX_TIMER_DELAY_MS);
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#at = Number.POSITIVE_INFINITY;
      this.#onWake();
    }, delay);
    if (!ref) this.#timer.unref();
    this.#at = performance.now() + delay;
    this.#ref = ref;
  }

  clear(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#at = Number.POSITIVE_INFINITY;
  }
}
