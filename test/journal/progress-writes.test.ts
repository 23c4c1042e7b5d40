import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { PROGRESS_WRITE_INTERVAL_MS, ProgressWrites } from '../../src/journal/progress-writes.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

test('progress is written at once, then at most once per interval, the latest reading last', () => {
  const writes: string[] = [];
  const paced = new ProgressWrites((id) => writes.push(`${id}@${Date.now()}`));
  const start = Date.now();
  paced.changed('a');
  for (let i = 0; i < 50; i++) {
    vi.advanceTimersByTime(50);
    paced.changed('a');
  }
  // 2.5 s of changes every 50 ms: written at 0, 1000, 2000, and the trailing one at 3000.
  vi.advanceTimersByTime(PROGRESS_WRITE_INTERVAL_MS);
  expect(writes).toEqual([`a@${start}`, `a@${start + 1000}`, `a@${start + 2000}`, `a@${start + 3000}`]);
});

test('executions are paced independently; a state write cancels the pending progress write', () => {
  const writes: string[] = [];
  const paced = new ProgressWrites((id) => writes.push(id));
  paced.changed('a');
  paced.changed('b');
  paced.changed('a');
  paced.written('a'); // the terminal record carries the progress
  paced.changed('b');
  paced.forget('b');
  vi.advanceTimersByTime(5000);
  expect(writes).toEqual(['a', 'b']);
});

test('stop() hands back the executions still waiting and clears their timers', () => {
  const paced = new ProgressWrites(() => {});
  paced.changed('a');
  paced.changed('a');
  expect(vi.getTimerCount()).toBe(1);
  expect(paced.stop()).toEqual(['a']);
  expect(vi.getTimerCount()).toBe(0);
});
