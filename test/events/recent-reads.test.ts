import { describe, expect, test } from 'vitest';
import { RecentReads } from '../../src/events/recent-reads.js';

describe('RecentReads', () => {
  test('gives a kept read whole only from its first line, of its buffer, when it ends in time', () => {
    const recent = new RecentReads();
    const lines = ['a', 'b', 'c'];
    recent.keep(5, 0, lines);
    expect(recent.read(5, 0, 7)).toBe(lines);
    expect(recent.read(5, 0, 6)).toBeUndefined(); // ends after `until`
    expect(recent.read(6, 0, 9)).toBeUndefined(); // not its first line
    expect(recent.read(5, 1, 9)).toBeUndefined(); // another buffer
    expect([4, 5, 6, 7, 8].map((seq) => recent.line(seq))).toEqual([undefined, 'a', 'b', 'c', undefined]);
  });

  test('keeps the latest 32 reads', () => {
    const recent = new RecentReads();
    for (let read = 0; read < 40; read++) recent.keep(read * 2 + 1, 0, [`${read}a`, `${read}b`]);
    expect(recent.line(1)).toBeUndefined();
    expect(recent.line(2 * 8 + 1)).toBe('8a');
    expect(recent.line(2 * 39 + 2)).toBe('39b');
  });
});
