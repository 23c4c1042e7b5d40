import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { Throttle } from '../../src/progress/throttle.js';

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('Throttle', () => {
  test('sends the first value at once and only the last of a burst when the interval is over', () => {
    const sent: number[] = [];
    const throttle = new Throttle<number>(100, (value) => sent.push(value));
    for (let i = 1; i <= 1000; i++) throttle.push(i);
    expect(sent).toEqual([1]);
    vi.advanceTimersByTime(99);
    expect(sent).toEqual([1]);
    vi.advanceTimersByTime(1);
    expect(sent).toEqual([1, 1000]);
    expect(vi.getTimerCount()).toBe(0);
  });

  test('sends at once again after a quiet interval', () => {
    const sent: number[] = [];
    const throttle = new Throttle<number>(100, (value) => sent.push(value));
    throttle.push(1);
    vi.advanceTimersByTime(150);
    throttle.push(2);
    expect(sent).toEqual([1, 2]);
  });

  test('flush sends the waiting value now and stops the timer', () => {
    const sent: number[] = [];
    const throttle = new Throttle<number>(100, (value) => sent.push(value));
    throttle.push(1);
    throttle.push(2);
    throttle.push(3);
    throttle.flush();
    expect(sent).toEqual([1, 3]);
    expect(vi.getTimerCount()).toBe(0);
    throttle.flush();
    expect(sent).toEqual([1, 3]);
  });

  test('a value the same as the last one sent is not sent again', () => {
    const sent: number[] = [];
    const throttle = new Throttle<number>(100, (value) => sent.push(value));
    throttle.push(1);
    throttle.push(1);
    expect(vi.getTimerCount()).toBe(0);
    throttle.push(2);
    throttle.push(1); // back to what was sent: nothing new to say
    vi.advanceTimersByTime(100);
    expect(sent).toEqual([1]);
  });

  test('interval 0 sends every value', () => {
    const sent: number[] = [];
    const throttle = new Throttle<number>(0, (value) => sent.push(value));
    for (let i = 1; i <= 5; i++) throttle.push(i);
    expect(sent).toEqual([1, 2, 3, 4, 5]);
    expect(vi.getTimerCount()).toBe(0);
  });

  test('reset drops the waiting value; the next one goes out at once', () => {
    const sent: number[] = [];
    const throttle = new Throttle<number>(100, (value) => sent.push(value));
    throttle.push(1);
    throttle.push(2);
    throttle.reset();
    expect(vi.getTimerCount()).toBe(0);
    throttle.push(1);
    expect(sent).toEqual([1, 1]);
  });
});
