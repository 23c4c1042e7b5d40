import { IndexedHeap } from '../utils/indexed-heap.js';
import type { Admission, AdmissionLimits, AdmissionOptions, GroupCounts } from './admission.js';
import { type Entry, expiresBefore, type Lane } from './lane.js';
import { Lanes } from './lanes.js';
import { assertRoom, type GroupLoad } from './refusal.js';
import { WakeTimer } from './wake-timer.js';

/** The limits the scheduler enforces (from the engine config). */
export type SchedulerLimits = AdmissionLimits;

/**
 * The built-in {@link Admission}: priorities, groups with their own caps and pacing, round robin
 * between groups ({@link Lanes}), queue deadlines (one heap, one timer), under the global limit
 * and pacing. A slot is held from `start()` until `release(id)`. Every operation is O(log n).
 *
 * Our own rather than p-queue (measured in `bench/admission/compare.mjs` and docs/performance.md):
 * p-queue counts its interval from before a task runs, frees a slot microtasks after the task's
 * promise settles (so `release()` cannot start the next job), removes in O(n), and has no groups.
 */
export class Scheduler implements Admission {
  readonly #limits: SchedulerLimits;
  readonly #lanes: Lanes;
  /** Waiting executions, by id, in submission order. */
  readonly #entries = new Map<string, Entry>();
  /** The lane of each execution holding a slot, by id. */
  readonly #holders = new Map<string, Lane>();
  /** How many wait at each priority, for queue positions. */
  readonly #byPriority = new Map<number, number>();
  /** Waiting executions with a deadline, earliest first. */
  readonly #expiry = new IndexedHeap<Entry>(expiresBefore, {
    get: (entry) => entry.expiryAt,
    set: (entry, index) => {
      entry.expiryAt = index;
    },
  });
  readonly #timer = new WakeTimer(() => this.#wake());
  #seq = 0;
  #starts = 0;
  #lastStartAt = Number.NEGATIVE_INFINITY;
  #pumping = false;

  constructor(limits: SchedulerLimits) {
    this.#limits = limits;
    this.#lanes = new Lanes(limits);
  }

  get running(): number {
    return this.#holders.size;
  }

  get queued(): number {
    return this.#entries.size;
  }

  groups(): Record<string, GroupCounts> {
    return this.#lanes.counts();
  }

  assertAccepts(group?: string): void {
    let load: GroupLoad | undefined;
    if (group !== undefined) {
      const lane = this.#lanes.get(group);
      const busy = (lane?.running ?? 0) + (lane?.queue.size ?? 0);
      load = { name: group, cap: this.#lanes.limitsOf(group).maxConcurrent, busy };
    }
    assertRoom(this.#limits, this.#holders.size, this.#entries.size, load);
  }

  submit(id: string, start: () => void, options: AdmissionOptions = {}): number {
    if (this.#entries.has(id) || this.#holders.has(id))
      throw new Error(`Execution ${id} is already admitted`);
    const priority = options.priority ?? 0;
    const lane = this.#lanes.of(options.group);
    const { onExpire } = options;
    const seq = ++this.#seq;
    const entry: Entry = {
      id,
      start,
      priority,
      seq,
      lane,
      expiresAt: undefined,
      onExpire,
      queueAt: -1,
      expiryAt: -1,
    };
    lane.queue.push(entry);
    this.#entries.set(id, entry);
    this.#byPriority.set(priority, (this.#byPriority.get(priority) ?? 0) + 1);
    this.#lanes.place(lane);
    this.#pump();
    if (this.#entries.get(id) !== entry) return 0;
    // Only an execution that has to wait gets a deadline.
    if (options.expiresAt !== undefined) {
      entry.expiresAt = options.expiresAt;
      this.#expiry.push(entry);
      this.#arm();
    }
    let position = 0;
    for (const [level, count] of this.#byPriority) if (level >= priority) position += count;
    return position;
  }

  occupy(id: string, options: Pick<AdmissionOptions, 'group'> = {}): void {
    const lane = this.#lanes.of(options.group);
    lane.running++;
    this.#holders.set(id, lane);
    this.#lanes.place(lane);
  }

  release(id: string): void {
    const lane = this.#holders.get(id);
    if (lane === undefined) return;
    this.#holders.delete(id);
    lane.running--;
    this.#lanes.place(lane);
    this.#pump();
  }

  remove(id: string): boolean {
    const entry = this.#entries.get(id);
    if (entry === undefined) return false;
    this.#take(entry);
    this.#arm();
    return true;
  }

  drain(): string[] {
    const entries = [...this.#entries.values()];
    for (const entry of entries) this.#take(entry);
    this.#arm();
    return entries.map((entry) => entry.id);
  }

  /** Takes a waiting execution out of every structure. */
  #take(entry: Entry): void {
    const { lane, priority } = entry;
    lane.queue.delete(entry);
    this.#expiry.delete(entry);
    this.#entries.delete(entry.id);
    const left = (this.#byPriority.get(priority) ?? 1) - 1;
    if (left === 0) this.#byPriority.delete(priority);
    else this.#byPriority.set(priority, left);
    this.#lanes.place(lane);
  }

  /** Starts what may start now, in order, until a limit stops it. */
  #pump(): void {
    if (this.#pumping) return;
    this.#pumping = true;
    try {
      for (;;) {
        const now = performance.now();
        const lane = this.#lanes.next(now);
        if (lane === undefined || this.#holders.size >= this.#limits.maxConcurrentExecutions) break;
        if (this.#lastStartAt + this.#limits.minStartIntervalMs > now) break;
        const entry = lane.head as Entry;
        if (entry.expiresAt !== undefined && entry.expiresAt <= Date.now()) {
          this.#take(entry);
          entry.onExpire?.();
          continue;
        }
        // Counted as running before it leaves the queue, so the lane is never seen idle.
        lane.running++;
        lane.lastStartTick = ++this.#starts;
        this.#holders.set(entry.id, lane);
        if (lane.interval > 0) lane.readyAt = Number.POSITIVE_INFINITY;
        this.#take(entry);
        entry.start();
        // Measured after the (synchronous) spawn, so the gap between spawns is never shorter.
        const end = performance.now();
        this.#lastStartAt = end;
        if (lane.interval > 0) {
          lane.readyAt = end + lane.interval;
          this.#lanes.place(lane, end);
        }
      }
    } finally {
      this.#pumping = false;
    }
    this.#arm();
  }

  /** Arms the timer for the next change that no call brings: a pacing interval, a deadline. */
  #arm(): void {
    let at = this.#lanes.nextWake;
    if (this.#lanes.hasReady && this.#holders.size < this.#limits.maxConcurrentExecutions) {
      at = Math.min(at, this.#lastStartAt + this.#limits.minStartIntervalMs);
    }
    const expiring = this.#expiry.peek()?.expiresAt;
    if (expiring !== undefined) at = Math.min(at, performance.now() + expiring - Date.now());
    this.#timer.arm(at, this.#entries.size > 0);
  }

  #wake(): void {
    const now = Date.now();
    const due: Entry[] = [];
    let entry = this.#expiry.peek();
    for (; entry !== undefined && (entry.expiresAt as number) <= now; entry = this.#expiry.peek()) {
      this.#take(entry);
      due.push(entry);
    }
    for (const expired of due) expired.onExpire?.();
    this.#pump();
  }
}
