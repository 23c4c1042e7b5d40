import { type LongTimer, setLongTimeout } from '../utils/long-timer.js';

/**
 * Passes on the latest of a stream of values at most once per `intervalMs`: a value after a quiet
 * interval goes out at once, the values that come sooner wait, and only the last of them goes out
 * when the interval is over (an unref'd timer: it never keeps Node alive). `flush()` sends the one
 * waiting at once. A value the same as the last one sent (by `same`) is not sent again.
 * @example
 * ```ts
 * const throttle = new Throttle<number>(100, (value) => console.log(value));
 * for (let i = 1; i <= 1000; i++) throttle.push(i); // logs 1 now, 1000 about 100 ms later
 * ```
 */
export class Throttle<T> {
  readonly #intervalMs: number;
  readonly #send: (value: T) => void;
  readonly #same: (a: T, b: T) => boolean;
  /** When the last value was sent (`performance.now()`). */
  #sentAt = Number.NEGATIVE_INFINITY;
  #sent: { value: T } | undefined;
  #waiting: { value: T } | undefined;
  #timer: LongTimer | undefined;

  constructor(intervalMs: number, send: (value: T) => void, same: (a: T, b: T) => boolean = Object.is) {
    this.#intervalMs = intervalMs;
    this.#send = send;
    this.#same = same;
  }

  push(value: T): void {
    if (this.#waiting === undefined && this.#sent !== undefined && this.#same(value, this.#sent.value))
      return;
    const now = performance.now();
    if (this.#timer === undefined && now - this.#sentAt >= this.#intervalMs) {
      this.#sendNow(value, now);
      return;
    }
    this.#waiting = { value };
    this.#timer ??= setLongTimeout(() => this.#onTimer(), this.#sentAt + this.#intervalMs - now, {
      unref: true,
    });
  }

  /** Sends the waiting value now, if any, and stops the timer. */
  flush(): void {
    this.#stopTimer();
    const waiting = this.#waiting;
    if (waiting !== undefined) this.#sendNow(waiting.value, performance.now());
  }

  /** Drops the waiting value and stops the timer; the next value goes out at once. */
  reset(): void {
    this.#stopTimer();
    this.#waiting = undefined;
    this.#sent = undefined;
    this.#sentAt = Number.NEGATIVE_INFINITY;
  }

  #onTimer(): void {
    this.#timer = undefined;
    this.flush();
  }

  #stopTimer(): void {
    this.#timer?.clear();
    this.#timer = undefined;
  }

  #sendNow(value: T, now: number): void {
    this.#waiting = undefined;
    if (this.#sent !== undefined && this.#same(value, this.#sent.value)) return;
    this.#sent = { value };
    this.#sentAt = now;
    this.#send(value);
  }
}
