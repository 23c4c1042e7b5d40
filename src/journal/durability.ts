import type { ExecutionRecord } from '../state/execution-record.js';
import type { ExecutionRequest } from '../types.js';
import { FileJournal } from './file-journal.js';
import { journalFiles } from './journal-files.js';
import { toJournalRequest } from './journal-request.js';
import {
  type ExecutionJournal,
  JOURNAL_RECORD_VERSION,
  type JournalFiles,
  type JournalRecord,
} from './journal-types.js';
import { readBootId, readProcessStartTime } from './proc-info.js';

/** The `journal` config value: a directory for the built-in file journal, or a store of your own. */
export type JournalOption = { dir: string } | ExecutionJournal;

/**
 * Keeps the journal in step with the engine: one durable record per execution, rewritten at
 * every state change (queued; starting; started with pid, start time and boot id; terminal).
 * Writes of one execution apply in order; a failed write is reported, never fatal.
 */
export class Durability {
  readonly journal: ExecutionJournal;
  readonly #records = new Map<string, JournalRecord>();
  readonly #onError: (error: unknown) => void;
  /** Writes not yet settled, so closing waits for them. */
  readonly #pending = new Set<Promise<void>>();
  #bootId: Promise<string | undefined> | undefined;

  constructor(option: JournalOption, onError: (error: unknown) => void) {
    this.journal = 'open' in option ? option : new FileJournal({ dir: option.dir });
    this.#onError = onError;
  }

  /** Paths of an execution's log, exit and input files. */
  files(id: string): JournalFiles {
    if (this.journal.files !== undefined) return this.journal.files(id);
    if (this.journal.dir !== undefined) return journalFiles(this.journal.dir, id);
    throw new Error('This journal keeps no local files, so processes cannot outlive the host');
  }

  /** Records a new execution as queued; resolves once durable (before `execute` resolves). */
  queued(record: ExecutionRecord, request: ExecutionRequest): Promise<void> {
    const files = this.files(record.id);
    const stored: JournalRecord = {
      version: JOURNAL_RECORD_VERSION,
      id: record.id,
      status: 'queued',
      command: record.command,
      request: toJournalRequest({ ...request, id: record.id }),
      createdAt: record.createdAt.toISOString(),
      stdoutLogFile: files.stdoutLog,
      stderrLogFile: files.stderrLog,
    };
    this.#records.set(record.id, stored);
    return this.journal.write(stored);
  }

  /** Tracks a record read back by recovery, so later changes rewrite it. */
  adopt(stored: JournalRecord): void {
    this.#records.set(stored.id, stored);
  }

  /** Durably marks an execution as starting, before anything is spawned: it must never run twice. */
  starting(id: string): Promise<void> {
    return this.#update(id, { status: 'running' }, true);
  }

  /** Records the spawned process: pid (= process group), its start time and the boot id. */
  async started(record: ExecutionRecord): Promise<void> {
    const pid = record.pid;
    if (pid === undefined) return;
    const lookup = Promise.all([readProcessStartTime(pid), this.#readBootId()]);
    this.#track(lookup.then(() => {}));
    const [procStartTime, bootId] = await lookup;
    // No status here: a fast process may already be terminal by the time this lands.
    const started: Partial<JournalRecord> = { pid, pgid: pid };
    if (record.startedAt !== undefined) {
      started.startedAt = record.startedAt.toISOString();
      started.deadline = record.startedAt.getTime() + record.timeoutMs;
    }
    if (procStartTime !== undefined) started.procStartTime = procStartTime;
    if (bootId !== undefined) started.bootId = bootId;
    await this.#update(record.id, started, false);
  }

  /** Records the terminal state. */
  terminal(record: ExecutionRecord): Promise<void> {
    const result = record.result;
    if (result === undefined) return Promise.resolve();
    const fields: Partial<JournalRecord> = {
      status: result.status,
      completedAt: result.completedAt.toISOString(),
      exitCode: result.exitCode,
      signal: result.signal,
    };
    if (result.error !== undefined) fields.error = result.error;
    return this.#update(record.id, fields, false);
  }

  /** Forgets an execution and deletes its record and files. */
  remove(id: string): void {
    this.#records.delete(id);
    this.#track(this.journal.remove(id).catch(this.#onError));
  }

  /** Waits for every write under way, then closes the journal (releasing its lock). */
  async close(): Promise<void> {
    while (this.#pending.size > 0) await Promise.all(this.#pending);
    await this.journal.close().catch(this.#onError);
  }

  #track(promise: Promise<void>): Promise<void> {
    this.#pending.add(promise);
    void promise.finally(() => this.#pending.delete(promise));
    return promise;
  }

  #readBootId(): Promise<string | undefined> {
    this.#bootId ??= readBootId();
    return this.#bootId;
  }

  /** Applies `fields` and writes the record; `strict` rejects on failure instead of reporting. */
  #update(id: string, fields: Partial<JournalRecord>, strict: boolean): Promise<void> {
    const stored = this.#records.get(id);
    if (stored === undefined) return Promise.resolve();
    Object.assign(stored, fields);
    const written = this.journal.write({ ...stored });
    this.#track(written.catch(() => {}));
    return strict ? written : written.catch(this.#onError);
  }
}
