import type { GroupLimits } from '../arguments/group-limits.js';
import { IndexedHeap, NOT_IN_HEAP } from '../utils/indexed-heap.js';

/** One waiting execution. */
export interface Entry {
  readonly id: string;
  readonly start: () => void;
  readonly priority: number;
  /** Submission order, scheduler-wide. */
  readonly seq: number;
  readonly lane: Lane;
  /** Epoch ms after which it expires; set once it had to wait. */
  expiresAt: number | undefined;
  readonly onExpire: (() => void) | undefined;
  /** Position in its lane's queue. */
  queueAt: number;
  /** Position in the expiry heap. */
  expiryAt: number;
}

/** Higher priority first, then submission order. */
export const entryBefore = (a: Entry, b: Entry): boolean =>
  a.priority > b.priority || (a.priority === b.priority && a.seq < b.seq);

/** Earliest deadline first. */
export const expiresBefore = (a: Entry, b: Entry): boolean =>
  (a.expiresAt as number) < (b.expiresAt as number);

/**
 * The waiting and running executions of one group (or of those without a group): its own queue,
 * ordered by priority then submission, its slot count, its last start for round robin and pacing.
 */
export class Lane {
  /** `undefined`: the lane of executions without a group. */
  readonly name: string | undefined;
  /** The group's `maxConcurrent` (Infinity: only the global cap). */
  readonly cap: number;
  /** The group's `minStartIntervalMs`. */
  readonly interval: number;
  readonly queue = new IndexedHeap<Entry>(entryBefore, {
    get: (entry) => entry.queueAt,
    set: (entry, index) => {
      entry.queueAt = index;
    },
  });
  /** Executions of this lane holding a slot. */
  running = 0;
  /** The scheduler's start count at this lane's latest start (0: never): least recent goes first. */
  lastStartTick = 0;
  /** `performance.now()` from which pacing lets this lane start again (Infinity while starting). */
  readyAt = Number.NEGATIVE_INFINITY;
  /** Position in the scheduler's ready or waking heap (a lane is in one of them at most). */
  heapAt = NOT_IN_HEAP;

  constructor(name: string | undefined, limits: GroupLimits = {}) {
    this.name = name;
    this.cap = limits.maxConcurrent ?? Number.POSITIVE_INFINITY;
    this.interval = limits.minStartIntervalMs ?? 0;
  }

  /** The execution this lane would start next. */
  get head(): Entry | undefined {
    return this.queue.peek();
  }
}

/** Among lanes that may start: the highest head priority, then least recently started, then oldest head. */
export function laneBefore(a: Lane, b: Lane): boolean {
  const x = a.head as Entry;
  const y = b.head as Entry;
  if (x.priority !== y.priority) return x.priority > y.priority;
  if (a.lastStartTick !== b.lastStartTick) return a.lastStartTick < b.lastStartTick;
  return x.seq < y.seq;
}

/** Among lanes waiting for their pacing interval: the earliest first. */
export const readyBefore = (a: Lane, b: Lane): boolean => a.readyAt < b.readyAt;

/** The heap slot of a lane (shared by the ready and waking heaps). */
export const LANE_SLOT = {
  get: (lane: Lane) => lane.heapAt,
  set: (lane: Lane, index: number) => {
    lane.heapAt = index;
  },
};
