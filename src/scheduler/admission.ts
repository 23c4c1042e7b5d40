import type { GroupLimits } from '../arguments/group-limits.js';
import type { ConcurrencyLimitBehavior } from '../config.js';

/** The limits admission enforces (from the engine config). */
export interface AdmissionLimits {
  maxConcurrentExecutions: number;
  onConcurrencyLimit: ConcurrencyLimitBehavior;
  maxQueuedExecutions: number;
  minStartIntervalMs: number;
  /** Limits of named groups. */
  groups?: Readonly<Record<string, GroupLimits>> | undefined;
  /** Limits of every group not in `groups`. */
  defaultGroupLimits?: GroupLimits | undefined;
}

/** How one execution is admitted: its priority, its group, how long it may wait for a slot. */
export interface AdmissionOptions {
  /** Higher starts first; equal priorities start in submission order. @default 0 */
  priority?: number | undefined;
  /** The group (tenant, pool) whose limits apply besides the global ones; none when absent. */
  group?: string | undefined;
  /**
   * Epoch milliseconds. An execution still waiting then is taken out of the queue and `onExpire`
   * is called; it never starts. Not set for an execution that starts at once.
   */
  expiresAt?: number | undefined;
  /** Called (once) when the execution expired in the queue. */
  onExpire?: (() => void) | undefined;
}

/** What {@link Admission.groups} reports for a group with work. */
export interface GroupCounts {
  queued: number;
  running: number;
}

/**
 * The `Admission` port: decides which execution starts next and when. The engine registers an
 * execution, asks `assertAccepts()`, then `submit()`s it with a `start` callback that spawns its
 * process; it calls `release(id)` once that execution is terminal. A retried execution is simply
 * submitted again under its id after its release, with the same priority and group.
 *
 * Every implementation (the built-in `Scheduler`; later a BullMQ worker) passes the one
 * conformance suite in `test/scheduler/admission-conformance.ts`. What it checks:
 *
 * - **Synchronous start.** When a slot is free and pacing allows, `submit()` calls `start` before
 *   it returns and returns 0: the process is spawned in the same tick as `execute()`.
 * - **Order.** Waiting executions start by priority (higher first), then in submission order.
 * - **The limit.** At most `maxConcurrentExecutions` slots are held by started executions; a slot
 *   is held from `start` until `release(id)`, not until `start` returns.
 * - **Groups.** A group's `maxConcurrent` caps its own executions further; a group at its cap never
 *   holds up the others. When a slot frees, the next start is the highest-priority head among the
 *   groups with room; between equal heads, the group that started least recently goes first
 *   (round robin). Executions without a group form one lane of their own, with the global limits
 *   only. A group with nothing queued or running leaves no state behind (`groups()`).
 * - **Positions.** A waiting execution's `submit()` returns its 1-based place: how many waiting
 *   executions have its priority or a higher one, itself included.
 * - **Removal.** `remove(id)` takes a waiting execution out in O(log n); it never starts.
 * - **Expiry.** An execution still waiting at its `expiresAt` is taken out and `onExpire` runs;
 *   one timer serves every deadline.
 * - **Drain.** `drain()` empties the queue and returns the ids oldest first; none of them starts.
 * - **occupy/release.** `occupy(id)` holds a slot (of its group too) for an execution that is
 *   already running (adopted after a restart), even past the limit; `release(id)` frees it and
 *   starts the next waiting executions that now fit, synchronously.
 * - **Refusal.** `assertAccepts()` throws `ConcurrencyLimitReachedError` (with `limit`) in
 *   `'reject'` mode when every slot (or every slot of the group) is taken, and when
 *   `maxQueuedExecutions` are waiting.
 * - **Pacing.** Two starts are never closer than `minStartIntervalMs`, nor two starts of one group
 *   closer than its `minStartIntervalMs`, measured from the end of one `start` call (the spawn) to
 *   the beginning of the next. An execution that has a free slot but must wait for pacing is
 *   queued. Only waiting work holds a ref'd timer.
 */
export interface Admission {
  /** Executions holding a slot. */
  readonly running: number;
  /** Executions waiting for a slot or for pacing. */
  readonly queued: number;
  /** Queued and running counts of each group with work (idle groups are absent). */
  groups(): Record<string, GroupCounts>;
  /**
   * Throws `ConcurrencyLimitReachedError` if an execution of `group` submitted now would be refused.
   * Called before anything is registered, so a refused request leaves no trace.
   */
  assertAccepts(group?: string): void;
  /**
   * Queues `start` under `id`. Returns 0 when it started at once (`start` has run), else its
   * position in the queue (1 = next).
   */
  submit(id: string, start: () => void, options?: AdmissionOptions): number;
  /** Takes a slot (of `group` too) for an execution that is already running (adopted after a restart). */
  occupy(id: string, options?: Pick<AdmissionOptions, 'group'>): void;
  /** Frees the slot of `id`, which is terminal (or waits for another attempt), and starts the next ones that fit. */
  release(id: string): void;
  /** Removes a waiting execution; false when it is not waiting. */
  remove(id: string): boolean;
  /** Empties the queue and returns the ids that were waiting, oldest first. */
  drain(): string[];
}

/** Builds an admission for the given limits (what the conformance suite is given). */
export type AdmissionFactory = (limits: AdmissionLimits) => Admission;
