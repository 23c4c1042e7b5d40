import { ExecutionNotFoundError } from '../errors.js';
import type { ExecutionRecord } from './execution-record.js';

/**
 * The executions the engine retains, in creation order, plus the terminal ones in completion
 * order so retention removes the oldest first without scanning live executions.
 */
export class Registry {
  readonly #records = new Map<string, ExecutionRecord>();
  /** Terminal records in completion order (a Set keeps insertion order, deletes in O(1), and costs less per entry than a Map). */
  readonly #terminal = new Set<ExecutionRecord>();

  /** Retained executions. */
  get size(): number {
    return this.#records.size;
  }

  /** Retained terminal executions. */
  get terminalCount(): number {
    return this.#terminal.size;
  }

  has(id: string): boolean {
    return this.#records.has(id);
  }

  get(id: string): ExecutionRecord | undefined {
    return this.#records.get(id);
  }

  /** The record, or `ExecutionNotFoundError`. */
  require(id: string): ExecutionRecord {
    const record = this.#records.get(id);
    if (record === undefined) throw new ExecutionNotFoundError(id);
    return record;
  }

  add(record: ExecutionRecord): void {
    this.#records.set(record.id, record);
  }

  /** Records that an execution reached a terminal status. */
  markTerminal(record: ExecutionRecord): void {
    this.#terminal.add(record);
  }

  delete(id: string): boolean {
    const record = this.#records.get(id);
    if (record === undefined) return false;
    this.#terminal.delete(record);
    return this.#records.delete(id);
  }

  /** All records, oldest first. */
  values(): IterableIterator<ExecutionRecord> {
    return this.#records.values();
  }

  /**
   * Picks terminal executions to remove: those completed before `olderThan` (ms epoch), then the
   * oldest beyond `keep`. Removes them from the registry and returns them.
   */
  evict(olderThan: number, keep: number): ExecutionRecord[] {
    const removed: ExecutionRecord[] = [];
    let excess = this.#terminal.size - keep;
    for (const record of this.#terminal.values()) {
      const expired = (record.state.completedAt?.getTime() ?? 0) < olderThan;
      if (!expired && excess <= 0) break;
      removed.push(record);
      excess--;
    }
    for (const record of removed) this.delete(record.id);
    return removed;
  }

  /** Records whose status is in `statuses` (all when undefined), oldest first. */
  filter(statuses: ReadonlySet<string> | undefined): ExecutionRecord[] {
    const out: ExecutionRecord[] = [];
    for (const record of this.#records.values()) {
      if (statuses === undefined || statuses.has(record.status)) out.push(record);
    }
    return out;
  }
}
