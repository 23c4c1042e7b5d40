import { ConcurrencyLimitReachedError } from '../errors.js';
import { IndexedHeap, NOT_IN_HEAP } from '../utils/indexed-heap.js';
import type { Admission, AdmissionLimits, AdmissionOptions, GroupCounts } from './admission.js';
import { type Entry, expiresBefore, LANE_SLOT, Lane, laneBefore, readyBefore } from './lane.js';
import { WakeTimer } from './wake-timer.js';

/** The limits the scheduler enforces (from the engine config). */
export type SchedulerLimits = AdmissionLimits;

/**
 * The built-in {@link Admission}: priorities, groups with their own caps and pacing, round robin
 * between groups, queue deadlines, under a global concurrency limit and pacing. A slot is held
 * from `start()` until `release(id)`.
 *
 * Every operation is O(log n): each group (lane) keeps its own heap of waiting executions; the
 * lanes that may start now sit in a heap ordered by their head (priority, then the least recently
 * started lane, then submission); lanes waiting for their pacing interval sit in a heap by the
 * time they may start again; deadlines in one more heap, behind one timer. A group with nothing
 * queued or running (and no pacing interval still running) is deleted.
 *
 * Our own rather than p-queue (measured in `bench/admission/compare.mjs` and docs/performance.md):
 * p-queue counts its interval from before a task runs, frees a slot microtasks after the task's
 * promise settles (so `release()` cannot start the next job), removes in O(n), and has no groups.
 */
export class Scheduler implements Admission {
  readonly #limits: SchedulerLimits;
  /** Lanes of named groups with work (or a pacing interval still running), by name. */
  readonly #lanes = new Map<string, Lane>();
  /** The lane of executions without a group. */
  readonly #ungrouped = new Lane(undefined);
  /** Waiting executions, by id, in submission order. */
  readonly #entries = new Map<string, Entry>();
  /** The lane of each execution holding a slot, by id. */
  readonly #holders = new Map<string, Lane>();
  /** How many wait at each priority, for queue positions. */
  readonly #byPriority = new Map<number, number>();
  /** Lanes with work, room and pacing allowing: the next start is the head of the first. */
  readonly #ready = new IndexedHeap<Lane>(laneBefore, LANE_SLOT);
  /** Lanes whose pacing interval is still running (with work, or idle and to be forgotten). */
  readonly #waking = new IndexedHeap<Lane>(readyBefore, LANE_SLOT);
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
  }

  get running(): number {
    return this.#holders.size;
  }

  get queued(): number {
    return this.#entries.size;
  }

  groups(): Record<string, GroupCounts> {
    const counts: Record<string, GroupCounts> = {};
    for (const [name, lane] of this.#lanes) {
      if (lane.queue.size + lane.running > 0)
        counts[name] = { queued: lane.queue.size, running: lane.running };
    }
    return counts;
  }

  assertAccepts(group?: string): void {
    const { maxConcurrentExecutions, onConcurrencyLimit, maxQueuedExecutions } = this.#limits;
    const slotFree = this.#holders.size + this.#entries.size < maxConcurrentExecutions;
    const cap = group === undefined ? Number.POSITIVE_INFINITY : this.#limitsOf(group).maxConcurrent;
    const lane = group === undefined ? undefined : this.#lanes.get(group);
    const groupFree = cap === undefined || (lane?.running ?? 0) + (lane?.queue.size ?? 0) < cap;
    if (onConcurrencyLimit === 'reject' && !slotFree) {
      throw new ConcurrencyLimitReachedError(
        maxConcurrentExecutions,
        `Concurrency limit reached: ${maxConcurrentExecutions} executions are running`,
      );
    }
    if (onConcurrencyLimit === 'reject' && !groupFree) {
      throw new ConcurrencyLimitReachedError(
        cap as number,
        `Concurrency limit of group \`${group}\` reached: ${cap} executions are running`,
      );
    }
    if (!(slotFree && groupFree) && this.#entries.size >= maxQueuedExecutions) {
      throw new ConcurrencyLimitReachedError(
        maxQueuedExecutions,
        `Queue limit reached: ${maxQueuedExecutions} executions are waiting`,
      );
    }
  }

  submit(id: string, start: () => void, options: AdmissionOptions = {}): number {
    if (this.#entries.has(id) || this.#holders.has(id))
      throw new Error(`Execution ${id} is already admitted`);
    const priority = options.priority ?? 0;
    const lane = this.#laneOf(options.group);
    const entry: Entry = {
      id,
      start,
      priority,
      seq: ++this.#seq,
      lane,
      expiresAt: undefined,
      onExpire: options.onExpire,
      queueAt: NOT_IN_HEAP,
      expiryAt: NOT_IN_HEAP,
    };
    lane.queue.push(entry);
    this.#entries.set(id, entry);
    this.#byPriority.set(priority, (this.#byPriority.get(priority) ?? 0) + 1);
    this.#place(lane);
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
    const lane = this.#laneOf(options.group);
    lane.running++;
    this.#holders.set(id, lane);
    this.#place(lane);
  }

  release(id: string): void {
    const lane = this.#holders.get(id);
    if (lane === undefined) return;
    this.#holders.delete(id);
    lane.running--;
    this.#place(lane);
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
    const ids = [...this.#entries.keys()];
    for (const entry of [...this.#entries.values()]) this.#take(entry);
    this.#arm();
    return ids;
  }

  /** The limits of group `name`: its own, else the default ones. */
  #limitsOf(name: string) {
    const { groups, defaultGroupLimits } = this.#limits;
    return (groups !== undefined && Object.hasOwn(groups, name) ? groups[name] : defaultGroupLimits) ?? {};
  }

  #laneOf(group: string | undefined): Lane {
    if (group === undefined) return this.#ungrouped;
    let lane = this.#lanes.get(group);
    if (lane === undefined) {
      lane = new Lane(group, this.#limitsOf(group));
      this.#lanes.set(group, lane);
    }
    return lane;
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
    this.#place(lane);
  }

  /** Puts a lane where it belongs after a change: ready, waking for pacing, nowhere, or forgotten. */
  #place(lane: Lane, now = performance.now()): void {
    const waiting = lane.queue.size > 0;
    if (waiting && lane.running < lane.cap && lane.readyAt <= now) {
      this.#waking.delete(lane);
      this.#ready.push(lane);
      return;
    }
    this.#ready.delete(lane);
    const idle = !waiting && lane.running === 0;
    if (lane.readyAt > now && (idle || lane.running < lane.cap)) this.#waking.push(lane);
    else this.#waking.delete(lane);
    if (idle && lane.readyAt <= now && lane.name !== undefined) this.#lanes.delete(lane.name);
  }

  /** Starts what may start now, in order, until a limit stops it. */
  #pump(): void {
    if (this.#pumping) return;
    this.#pumping = true;
    try {
      for (;;) {
        const now = performance.now();
        for (
          let lane = this.#waking.peek();
          lane !== undefined && lane.readyAt <= now;
          lane = this.#waking.peek()
        ) {
          this.#waking.delete(lane);
          this.#place(lane, now);
        }
        const lane = this.#ready.peek();
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
          this.#place(lane, end);
        }
      }
    } finally {
      this.#pumping = false;
    }
    this.#arm();
  }

  /** Arms the timer for the next thing that can change without a call: pacing, a deadline. */
  #arm(): void {
    let at = this.#waking.peek()?.readyAt ?? Number.POSITIVE_INFINITY;
    if (this.#ready.size > 0 && this.#holders.size < this.#limits.maxConcurrentExecutions) {
      at = Math.min(at, this.#lastStartAt + this.#limits.minStartIntervalMs);
    }
    const expiring = this.#expiry.peek()?.expiresAt;
    if (expiring !== undefined) at = Math.min(at, performance.now() + expiring - Date.now());
    this.#timer.arm(at, this.#entries.size > 0);
  }

  #wake(): void {
    const now = Date.now();
    const due: Entry[] = [];
    for (
      let entry = this.#expiry.peek();
      entry !== undefined && (entry.expiresAt as number) <= now;
      entry = this.#expiry.peek()
    ) {
      this.#take(entry);
      due.push(entry);
    }
    for (const entry of due) entry.onExpire?.();
    this.#pump();
  }
}
