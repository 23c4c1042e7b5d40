/** Where an item keeps its position in one heap: read and written by that heap only. */
export interface HeapSlot<T> {
  get(item: T): number;
  set(item: T, index: number): void;
}

/** Position of an item that is in no heap (through its {@link HeapSlot}). */
export const NOT_IN_HEAP = -1;

/**
 * A binary min-heap whose items know their own position (through a {@link HeapSlot}), so that any
 * item is removed or re-placed after a change of its key in O(log n), not found by a scan.
 * `before(a, b)` is true when `a` must come out first; it must be a strict total order.
 *
 * @example
 * ```ts
 * interface Job { due: number; at: number }
 * const heap = new IndexedHeap<Job>((a, b) => a.due < b.due, {
 *   get: (job) => job.at,
 *   set: (job, index) => { job.at = index; },
 * });
 * ```
 */
export class IndexedHeap<T> {
  readonly #items: T[] = [];
  readonly #before: (a: T, b: T) => boolean;
  readonly #slot: HeapSlot<T>;

  constructor(before: (a: T, b: T) => boolean, slot: HeapSlot<T>) {
    this.#before = before;
    this.#slot = slot;
  }

  get size(): number {
    return this.#items.length;
  }

  /** The first item, without removing it. */
  peek(): T | undefined {
    return this.#items[0];
  }

  has(item: T): boolean {
    const index = this.#slot.get(item);
    return index !== NOT_IN_HEAP && this.#items[index] === item;
  }

  /** Adds `item`, or re-places it when it is already in (its key changed). */
  push(item: T): void {
    if (this.has(item)) {
      this.update(item);
      return;
    }
    this.#items.push(item);
    this.#slot.set(item, this.#items.length - 1);
    this.#up(this.#items.length - 1);
  }

  /** Removes and returns the first item. */
  pop(): T | undefined {
    const first = this.#items[0];
    if (first !== undefined) this.delete(first);
    return first;
  }

  /** Removes `item`; false when it is not in the heap. */
  delete(item: T): boolean {
    if (!this.has(item)) return false;
    const index = this.#slot.get(item);
    const last = this.#items.pop() as T;
    this.#slot.set(item, NOT_IN_HEAP);
    if (last !== item) {
      this.#items[index] = last;
      this.#slot.set(last, index);
      this.#down(this.#up(index));
    }
    return true;
  }

  /** Re-places `item` after its key changed (either way). */
  update(item: T): void {
    if (this.has(item)) this.#down(this.#up(this.#slot.get(item)));
  }

  /** Removes every item; returns them in no particular order. */
  clear(): T[] {
    const items = this.#items.splice(0);
    for (const item of items) this.#slot.set(item, NOT_IN_HEAP);
    return items;
  }

  /** Moves the item at `index` up while it comes before its parent; returns where it ends. */
  #up(index: number): number {
    const items = this.#items;
    const item = items[index] as T;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      const above = items[parent] as T;
      if (!this.#before(item, above)) break;
      items[index] = above;
      this.#slot.set(above, index);
      index = parent;
    }
    items[index] = item;
    this.#slot.set(item, index);
    return index;
  }

  /** Moves the item at `index` down while a child comes before it. */
  #down(index: number): void {
    const items = this.#items;
    const length = items.length;
    const item = items[index] as T;
    for (;;) {
      const left = 2 * index + 1;
      if (left >= length) break;
      const right = left + 1;
      const child = right < length && this.#before(items[right] as T, items[left] as T) ? right : left;
      const below = items[child] as T;
      if (!this.#before(below, item)) break;
      items[index] = below;
      this.#slot.set(below, index);
      index = child;
    }
    items[index] = item;
    this.#slot.set(item, index);
  }
}
