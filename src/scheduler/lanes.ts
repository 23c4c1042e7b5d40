import type { GroupLimits } from '../arguments/group-limits.js';
import { IndexedHeap } from '../utils/indexed-heap.js';
import type { AdmissionLimits, GroupCounts } from './admission.js';
import { LANE_SLOT, Lane, laneBefore, readyBefore } from './lane.js';

/**
 * Where each group stands: its lane (queue, slots, pacing), created on first use and deleted once
 * it has nothing queued or running and no pacing interval left to honour. The lanes that may start
 * now sit in one heap ordered by their head (priority, then the least recently started lane, then
 * submission); those waiting for their pacing interval in another, by the time they may start.
 */
export class Lanes {
  readonly #limits: Pick<AdmissionLimits, 'groups' | 'defaultGroupLimits'>;
  /** Lanes of named groups, by name. */
  readonly #named = new Map<string, Lane>();
  /** The lane of executions without a group (never deleted: it holds no per-group state). */
  readonly #ungrouped = new Lane(undefined);
  /** Lanes with work, room and pacing allowing: the next start is the head of the first. */
  readonly #ready = new IndexedHeap<Lane>(laneBefore, LANE_SLOT);
  /** Lanes whose pacing interval still runs (with work, or idle and to be forgotten then). */
  readonly #waking = new IndexedHeap<Lane>(readyBefore, LANE_SLOT);

  constructor(limits: Pick<AdmissionLimits, 'groups' | 'defaultGroupLimits'>) {
    this.#limits = limits;
  }

  /** The limits of group `name`: its own, else the default ones. */
  limitsOf(name: string): GroupLimits {
    const { groups, defaultGroupLimits } = this.#limits;
    return (groups !== undefined && Object.hasOwn(groups, name) ? groups[name] : defaultGroupLimits) ?? {};
  }

  /** The lane of `group`, if it has one now. */
  get(group: string): Lane | undefined {
    return this.#named.get(group);
  }

  /** The lane of `group` (undefined: no group), created when missing. */
  of(group: string | undefined): Lane {
    if (group === undefined) return this.#ungrouped;
    let lane = this.#named.get(group);
    if (lane === undefined) {
      lane = new Lane(group, this.limitsOf(group));
      this.#named.set(group, lane);
    }
    return lane;
  }

  /** True when some lane may start its head now (pacing permitting). */
  get hasReady(): boolean {
    return this.#ready.size > 0;
  }

  /** `performance.now()` at which a paced lane may start again or an idle one is forgotten. */
  get nextWake(): number {
    return this.#waking.peek()?.readyAt ?? Number.POSITIVE_INFINITY;
  }

  /** The lane whose head starts next, once lanes whose pacing ended at `now` are ready again. */
  next(now: number): Lane | undefined {
    for (
      let lane = this.#waking.peek();
      lane !== undefined && lane.readyAt <= now;
      lane = this.#waking.peek()
    ) {
      this.#waking.delete(lane);
      this.place(lane, now);
    }
    return this.#ready.peek();
  }

  /** Puts a lane where it belongs after a change: ready, waking for pacing, nowhere, or forgotten. */
  place(lane: Lane, now?: number): void {
    const waiting = lane.queue.size > 0;
    // The clock is read only for a lane that was ever paced.
    const paced = lane.readyAt !== Number.NEGATIVE_INFINITY && lane.readyAt > (now ?? performance.now());
    if (waiting && lane.running < lane.cap && !paced) {
      this.#waking.delete(lane);
      this.#ready.push(lane);
      return;
    }
    this.#ready.delete(lane);
    const idle = !waiting && lane.running === 0;
    if (paced && (idle || lane.running < lane.cap)) this.#waking.push(lane);
    else this.#waking.delete(lane);
    if (idle && !paced && lane.name !== undefined) this.#named.delete(lane.name);
  }

  /** Queued and running counts of each group with work. */
  counts(): Record<string, GroupCounts> {
    const counts: Record<string, GroupCounts> = {};
    for (const [name, { queue, running }] of this.#named) {
      if (queue.size + running > 0) counts[name] = { queued: queue.size, running };
    }
    return counts;
  }
}
