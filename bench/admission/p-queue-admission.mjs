/**
 * The admission contract built on p-queue 9 as far as it goes: the contender that the built-in
 * `Scheduler` (src/scheduler/scheduler.ts) was measured against (`compare.mjs`; the conformance
 * suite runs against it with `ADMISSION_CONTENDERS=p-queue npx vitest run test/scheduler/admission.test.ts`;
 * both need tsx, for the TypeScript imports). p-queue does the
 * concurrency limit, FIFO order and pacing (`interval` + `intervalCap: 1`); what p-queue has no
 * option for is worked around and marked as such.
 */
import PQueue from 'p-queue';
import { ConcurrencyLimitReachedError } from '../../src/errors.ts';

/**
 * A FIFO keyed by execution id, passed as p-queue's `queueClass`, so removal is O(1) (p-queue's own
 * queue removes with `findIndex` + `splice`) and `drain()` can name what was waiting.
 * Work-around: p-queue never exposes its queue, so the instance is caught in the constructor.
 */
class IdQueue {
  /** @type {IdQueue | undefined} */
  static latest;
  /** @type {Map<string, () => Promise<void>>} */
  #map = new Map();
  /** Tasks enqueued with a priority (occupied slots): they go first. */
  /** @type {(() => Promise<void>)[]} */
  #front = [];
  constructor() {
    IdQueue.latest = this;
  }
  /** @param {() => Promise<void>} run @param {{ id?: string, priority?: number }} [options] */
  enqueue(run, options) {
    if ((options?.priority ?? 0) > 0) this.#front.push(run);
    else this.#map.set(/** @type {string} */ (options?.id), run);
  }
  dequeue() {
    if (this.#front.length > 0) return this.#front.shift();
    const first = this.#map.entries().next();
    if (first.done) return undefined;
    this.#map.delete(first.value[0]);
    return first.value[1];
  }
  get size() {
    return this.#front.length + this.#map.size;
  }
  filter() {
    return [...this.#front, ...this.#map.values()];
  }
  setPriority() {
    throw new Error('priorities are not part of this contender');
  }
  /** @param {string} id */
  remove(id) {
    return this.#map.delete(id);
  }
  ids() {
    return [...this.#map.keys()];
  }
}

/** @typedef {{ maxConcurrentExecutions: number, onConcurrencyLimit: 'queue' | 'reject', maxQueuedExecutions: number, minStartIntervalMs: number }} Limits */

export class PQueueAdmission {
  /** @type {Limits} */
  #limits;
  /** @type {PQueue} */
  #queue;
  /** @type {IdQueue} */
  #ids;
  /** Resolvers of the promises that hold p-queue slots: a slot is held until `release()`. */
  /** @type {(() => void)[]} */
  #held = [];
  #occupied = 0;

  /** @param {Limits} limits @param {{ strict?: boolean }} [options] p-queue's sliding-window pacing */
  constructor(limits, options = {}) {
    this.#limits = limits;
    const paced = limits.minStartIntervalMs > 0;
    this.#queue = new PQueue({
      concurrency: limits.maxConcurrentExecutions,
      queueClass: IdQueue,
      ...(paced
        ? { interval: limits.minStartIntervalMs, intervalCap: 1, strict: options.strict ?? false }
        : {}),
    });
    this.#ids = /** @type {IdQueue} */ (IdQueue.latest);
  }

  /** p-queue's count: it drops a few microtasks after `release()`, not in it. */
  get running() {
    return this.#queue.pending;
  }

  get queued() {
    return this.#queue.size;
  }

  /** Work-around: no groups in this contender. */
  groups() {
    return {};
  }

  assertAccepts() {
    const { maxConcurrentExecutions, onConcurrencyLimit, maxQueuedExecutions } = this.#limits;
    const slotFree = this.running + this.queued < maxConcurrentExecutions;
    if (onConcurrencyLimit === 'reject' && !slotFree) {
      throw new ConcurrencyLimitReachedError(maxConcurrentExecutions, 'Concurrency limit reached');
    }
    if (!slotFree && this.queued >= maxQueuedExecutions) {
      throw new ConcurrencyLimitReachedError(maxQueuedExecutions, 'Queue limit reached');
    }
  }

  /** @param {string} id @param {() => void} start */
  submit(id, start) {
    let started = false;
    const task = () => {
      started = true;
      start();
      return new Promise((resolve) => this.#held.push(() => resolve(undefined)));
    };
    this.#queue.add(task, { id }).catch(() => {});
    return started ? 0 : this.#queue.size;
  }

  /** Work-around: p-queue cannot hold a slot past its limit, so the limit is raised for a moment. */
  occupy() {
    let started = false;
    const task = () => {
      started = true;
      return new Promise((resolve) => this.#held.push(() => resolve(undefined)));
    };
    this.#queue.add(task, { id: `occupied-${++this.#occupied}`, priority: 1 }).catch(() => {});
    if (!started) {
      this.#queue.concurrency += 1;
      this.#queue.concurrency -= 1;
    }
  }

  /**
   * Settles one held promise (the oldest: work-around, p-queue keeps no ids for running tasks);
   * p-queue frees the slot and starts the next task microtasks later.
   * @param {string} [_id]
   */
  release(_id) {
    this.#held.shift()?.();
  }

  /** @param {string} id */
  remove(id) {
    return this.#ids.remove(id);
  }

  drain() {
    const ids = this.#ids.ids();
    this.#queue.clear(); // the queued tasks' `add()` promises never settle
    this.#ids = /** @type {IdQueue} */ (IdQueue.latest);
    return ids;
  }
}
