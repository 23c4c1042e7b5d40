import { describe, expect, test } from 'vitest';
import { IndexedHeap, NOT_IN_HEAP } from '../../src/utils/indexed-heap.js';

interface Item {
  key: number;
  at: number;
}

const heap = () =>
  new IndexedHeap<Item>((a, b) => a.key < b.key, {
    get: (item) => item.at,
    set: (item, index) => {
      item.at = index;
    },
  });

describe('IndexedHeap', () => {
  test('pops in key order after random pushes, deletes and key changes', () => {
    const target = heap();
    const items = Array.from({ length: 2000 }, () => ({ key: Math.random(), at: NOT_IN_HEAP }));
    for (const item of items) target.push(item);
    const deleted = new Set(items.filter((_, i) => i % 3 === 0));
    for (const item of deleted) expect(target.delete(item)).toBe(true);
    for (const item of items.filter((_, i) => i % 5 === 1)) {
      item.key = Math.random();
      target.update(item);
    }
    const expected = items.filter((item) => !deleted.has(item)).sort((a, b) => a.key - b.key);
    const popped: Item[] = [];
    for (let item = target.pop(); item !== undefined; item = target.pop()) popped.push(item);
    expect(popped).toEqual(expected);
    expect(target.size).toBe(0);
  });

  test('an item of another heap is not in this one, even at the same position', () => {
    const first = heap();
    const second = heap();
    const a = { key: 1, at: NOT_IN_HEAP };
    const b = { key: 2, at: NOT_IN_HEAP };
    first.push(a);
    second.push(b);
    expect(first.has(b)).toBe(false);
    expect(first.delete(b)).toBe(false);
    expect(second.has(b)).toBe(true);
    expect(first.clear()).toEqual([a]);
    expect(a.at).toBe(NOT_IN_HEAP);
  });

  test('pushing an item already in re-places it instead of adding it twice', () => {
    const target = heap();
    const a = { key: 5, at: NOT_IN_HEAP };
    const b = { key: 3, at: NOT_IN_HEAP };
    target.push(a);
    target.push(b);
    a.key = 1;
    target.push(a);
    expect(target.size).toBe(2);
    expect(target.peek()).toBe(a);
  });
});
