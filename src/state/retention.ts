import type { ExecutionConfig } from '../config.js';
import { removeTemporaryOverflowFiles } from '../io/overflow-files.js';
import type { ExecutionRecord } from './execution-record.js';
import type { Registry } from './registry.js';

/**
 * Forgets terminal executions: past retention (by age, then by count), or one at a time on
 * request, deleting what they keep on disk (journal files, overflow files outside `logDir`).
 */
export class Retention {
  readonly #registry: Registry;
  readonly #config: ExecutionConfig;
  /** Deletes what the journal keeps of an execution (a no-op without a journal). */
  readonly #removeJournaled: (id: string) => void;

  constructor(registry: Registry, config: ExecutionConfig, removeJournaled: (id: string) => void) {
    this.#registry = registry;
    this.#config = config;
    this.#removeJournaled = removeJournaled;
  }

  /** Removes terminal executions past retention (age, then count); returns how many. */
  cleanup(): number {
    const { executionRetentionMs, maxInMemoryExecutions } = this.#config;
    const removed = this.#registry.evict(Date.now() - executionRetentionMs, maxInMemoryExecutions);
    for (const record of removed) this.#forget(record);
    return removed.length;
  }

  /** Applies the count limit as soon as an execution ends. */
  afterSettle(): void {
    if (this.#registry.terminalCount > this.#config.maxInMemoryExecutions) this.cleanup();
  }

  /** Removes one terminal execution and what it keeps on disk. */
  remove(record: ExecutionRecord): void {
    this.#registry.delete(record.id);
    this.#forget(record);
  }

  #forget(record: ExecutionRecord): void {
    this.#removeJournaled(record.id);
    const { stdout, stderr } = record;
    if (stdout.overflowFile === undefined && stderr.overflowFile === undefined) return;
    void removeTemporaryOverflowFiles([stdout.overflowFile, stderr.overflowFile], this.#config.logDir);
  }
}
