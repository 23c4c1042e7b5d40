/** Largest delay a Node timer accepts (2^31 − 1 ms, about 24.8 days); a longer one fires after 1 ms. */
export const MAX_TIMER_DELAY_MS = 2_147_483_647;

/** A timer from {@link setLongTimeout}. */
export interface LongTimer {
  /** Cancels the timer; the callback will not run. Idempotent. */
  clear(): void;
}

/** Options of {@link setLongTimeout}. */
export interface LongTimerOptions {
  /** Do not keep the Node process alive while waiting (like `timer.unref()`). @default false */
  unref?: boolean;
}

/**
 * Like `setTimeout`, for any delay: delays beyond {@link MAX_TIMER_DELAY_MS} are waited out as a
 * chain of timers instead of overflowing (which Node turns into a 1 ms timer). `Infinity` never
 * fires. A negative or NaN delay counts as 0.
 * @example
 * ```ts
 * const timer = setLongTimeout(() => reject(new Error('late')), 40 * 24 * 3600_000, { unref: true });
 * timer.clear();
 * ```
 */
export function setLongTimeout(
  callback: () => void,
  delayMs: number,
  options: LongTimerOptions = {},
): LongTimer {
  let remaining = Number.isNaN(delayMs) || delayMs < 0 ? 0 : delayMs;
  let timer: NodeJS.Timeout | undefined;
  let cleared = false;
  const arm = () => {
    const step = Math.min(remaining, MAX_TIMER_DELAY_MS);
    remaining -= step;
    timer = setTimeout(() => {
      if (cleared) return;
      if (remaining > 0) arm();
      else callback();
    }, step);
    if (options.unref === true) timer.unref();
  };
  if (remaining !== Number.POSITIVE_INFINITY) arm();
  return {
    clear: () => {
      cleared = true;
      clearTimeout(timer);
    },
  };
}
