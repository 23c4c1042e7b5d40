import { afterEach, describe, expect, test, vi } from 'vitest';
import { MAX_TIMER_DELAY_MS, setLongTimeout } from '../../src/utils/long-timer.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('setLongTimeout', () => {
  test('a delay within the Node limit fires once, on time', () => {
    vi.useFakeTimers();
    const fired = vi.fn();
    setLongTimeout(fired, 1000);
    vi.advanceTimersByTime(999);
    expect(fired).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(fired).toHaveBeenCalledTimes(1);
  });

  test('a delay beyond 2^31 - 1 ms is waited out in full, not cut to 1 ms', () => {
    vi.useFakeTimers();
    const fired = vi.fn();
    const delay = 2 * MAX_TIMER_DELAY_MS + 5;
    setLongTimeout(fired, delay);
    vi.advanceTimersByTime(MAX_TIMER_DELAY_MS);
    vi.advanceTimersByTime(MAX_TIMER_DELAY_MS);
    expect(fired).not.toHaveBeenCalled();
    vi.advanceTimersByTime(4);
    expect(fired).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(fired).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(10 * MAX_TIMER_DELAY_MS);
    expect(fired).toHaveBeenCalledTimes(1);
  });

  test('1e12 ms does not fire within hours of fake time', () => {
    vi.useFakeTimers();
    const fired = vi.fn();
    setLongTimeout(fired, 1e12);
    vi.advanceTimersByTime(1e12 - 1);
    expect(fired).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(fired).toHaveBeenCalledTimes(1);
  });

  test('clear() stops it, also between two links of the chain', () => {
    vi.useFakeTimers();
    const fired = vi.fn();
    const timer = setLongTimeout(fired, 3 * MAX_TIMER_DELAY_MS);
    vi.advanceTimersByTime(MAX_TIMER_DELAY_MS + 1);
    timer.clear();
    timer.clear();
    vi.advanceTimersByTime(10 * MAX_TIMER_DELAY_MS);
    expect(fired).not.toHaveBeenCalled();
    expect(vi.getTimerCount()).toBe(0);
  });

  test('Infinity never fires and holds no timer; negative and NaN delays count as 0', () => {
    vi.useFakeTimers();
    const never = vi.fn();
    setLongTimeout(never, Number.POSITIVE_INFINITY);
    expect(vi.getTimerCount()).toBe(0);
    const soon = vi.fn();
    setLongTimeout(soon, -5);
    setLongTimeout(soon, Number.NaN);
    vi.advanceTimersByTime(1);
    expect(soon).toHaveBeenCalledTimes(2);
    expect(never).not.toHaveBeenCalled();
  });

  test("unref: true gives an unref'd timer; by default it is ref'd", () => {
    const spy = vi.spyOn(globalThis, 'setTimeout');
    try {
      const lastTimer = () => spy.mock.results[spy.mock.results.length - 1]?.value as NodeJS.Timeout;
      const timer = setLongTimeout(() => {}, 3 * MAX_TIMER_DELAY_MS, { unref: true });
      expect(lastTimer().hasRef()).toBe(false);
      timer.clear();
      const reffed = setLongTimeout(() => {}, 10);
      expect(lastTimer().hasRef()).toBe(true);
      reffed.clear();
    } finally {
      spy.mockRestore();
    }
  });
});
