import { unlink } from 'node:fs/promises';
import type { ProgressUpdate } from '../progress/progress-types.js';
import type { ExecutionRecord } from '../state/execution-record.js';
import type { ExecutionRequest } from '../types.js';
import { FileJournal } from './file-journal.js';
import { JournalLockedError, JournalWriteError } from './journal-errors.js';
import { journalFiles } from './journal-files.js';
import type {
  ExecutionJournal,
  JournalAttempt,
  JournalFiles,
  JournalOption,
  JournalRecord,
} from './journal-types.js';
import { readBootId, readProcessStartTime } from './proc-info.js';
import { ProgressWrites } from './progress-writes.js';
import {
  journalAttempts,
  queuedRecord,
  retryFields,
  startedFields,
  terminalFields,
  upgradeRecord,
} from './record-fields.js';
import { WriteRetries } from './write-retries.js';

/** The fields of a previous attempt's process, cleared when a retry starts. */
const PREVIOUS_PROCESS: readonly (keyof JournalRecord)[] = [
  'nextAttemptAt',
  'pid',
  'pgid',
  'procStartTime',
  'startedAt',
  'deadline',
  'progress',
];

/**
 * Keeps the journal in step with the engine: one durable record per execution, rewritten at
 * every state change (queued; starting; started with pid, start time and boot id; terminal).
 * Writes of one execution apply in order. A write that must land before the engine goes on
 * (queued, starting) rejects with a typed error; any other failed write is reported and retried
 * with backoff until it lands, the execution is removed, or the journal closes (one last try).
 * Before each start the journal's ownership is re-checked: an engine that lost its lock starts
 * nothing more and writes nothing more.
 */
export class Durability {
  readonly journal: ExecutionJournal;
  readonly #records = new Map<string, JournalRecord>();
  readonly #onError: (error: unknown) => void;
  /** Writes not yet settled, so closing waits for them. */
  readonly #pending = new Set<Promise<void>>();
  /** Executions whose latest record has not landed yet. */
  readonly #retries = new WriteRetries(
    (id) => this.#write(id),
    (written) => void this.#track(written),
  );
  /** Paces the writes of the latest progress: at most one a second per execution. */
  readonly #progress = new ProgressWrites((id) => void this.#update(id, {}, false));
  #bootId: Promise<string | undefined> | undefined;
  /** Set once the lock was found lost: the directory may now belong to another engine. */
  #lost: JournalLockedError | undefined;

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

  /** The error of a lost lock, once ownership was found lost. */
  get lost(): JournalLockedError | undefined {
    return this.#lost;
  }

  /** Records a new execution as queued; resolves once durable (before `execute` resolves). */
  queued(record: ExecutionRecord, request: ExecutionRequest): Promise<void> {
    if (this.#lost !== undefined) return Promise.reject(this.#lost);
    const stored = queuedRecord(record, request, this.files(record.id));
    this.#records.set(record.id, stored);
    const written = this.journal.write({ ...stored });
    this.#track(written.catch(() => {}));
    return written.catch((error: unknown) => {
      this.#records.delete(record.id);
      throw wrap(error, 'record a new execution', record.id);
    });
  }

  /**
   * Tracks a record read back by recovery, so later changes rewrite it (in the current format: a
   * version 1 record's one attempt becomes its `attempts`).
   */
  adopt(stored: JournalRecord): void {
    this.#records.set(stored.id, upgradeRecord(stored));
  }

  /**
   * Durably marks an execution as starting, then confirms the journal is still this engine's,
   * before anything is spawned: it must never run twice.
   * @throws JournalWriteError, or JournalLockedError once the lock is lost.
   */
  async starting(id: string): Promise<void> {
    // A retry: the previous attempt's process is no clue to this one (recovery looks it up anew).
    const retried = this.#records.get(id)?.nextAttemptAt !== undefined;
    const clear = retried ? PREVIOUS_PROCESS : [];
    try {
      await this.#update(id, { status: 'running' }, true, clear);
      await this.journal.assertOwned?.();
    } catch (error) {
      if (error instanceof JournalLockedError) {
        if (this.#lost === undefined) this.#onError(error);
        this.#lost ??= error;
        throw this.#lost;
      }
      throw wrap(error, 'record that the execution is starting', id);
    }
  }

  /** Records the spawned attempt: pid (= process group), its start time and the boot id. */
  async started(record: ExecutionRecord): Promise<void> {
    const attempt = record.state.attempts.at(-1);
    const pid = attempt?.pid;
    if (attempt === undefined || pid === undefined) return;
    const lookup = Promise.all([readProcessStartTime(pid), this.#readBootId()]);
    this.#track(lookup.then(() => {}));
    const [procStartTime, bootId] = await lookup;
    const found = { number: attempt.number, procStartTime, bootId };
    const fields = startedFields(record, pid, found);
    fields.attempts = journalAttempts(record, this.#storedAttempts(record.id), found);
    await this.#update(record.id, fields, false);
  }

  /**
   * Keeps the latest progress of an execution in its record: written at most once a second (the
   * last reading always lands, at the latest with the terminal state).
   */
  progress(id: string, update: Readonly<ProgressUpdate>): void {
    const stored = this.#records.get(id);
    if (stored === undefined) return;
    stored.progress = { ...update };
    this.#progress.changed(id);
  }

  /** Records an attempt that ended and will be retried: `queued`, its attempts, when the next starts. */
  retrying(record: ExecutionRecord): Promise<void> {
    this.#progress.forget(record.id);
    const fields = retryFields(record, this.#storedAttempts(record.id));
    return this.#update(record.id, fields, false, ['deadline']);
  }

  /** Records the terminal state, and how its last attempt ended. */
  terminal(record: ExecutionRecord): Promise<void> {
    const fields = terminalFields(record);
    if (fields === undefined) return Promise.resolve();
    this.#progress.forget(record.id);
    if (record.state.attempts.length > 0) {
      fields.attempts = journalAttempts(record, this.#storedAttempts(record.id));
    }
    const written = this.#update(record.id, fields, false);
    const output = record.outputFile;
    record.outputFile = undefined;
    if (output === undefined || !output.keep) return written;
    // Its outputs are in the record now: the file is no longer needed to recover them.
    return written.then(() => {
      if (!this.#retries.has(record.id)) void unlink(output.path).catch(() => {});
    });
  }

  /** Forgets an execution and deletes its record and files. */
  remove(id: string): void {
    this.#records.delete(id);
    this.#retries.cancel(id);
    this.#progress.forget(id);
    if (this.#lost !== undefined) return;
    this.#track(this.journal.remove(id).catch(this.#onError));
  }

  /**
   * Waits for every write under way, tries once more each record that has not landed yet, then
   * closes the journal (releasing its lock).
   */
  async close(): Promise<void> {
    for (const id of this.#progress.stop()) void this.#update(id, {}, false);
    while (this.#pending.size > 0) await Promise.all(this.#pending);
    const unwritten = this.#retries.stop();
    while (this.#pending.size > 0) await Promise.all(this.#pending);
    await Promise.all(unwritten.map((id) => this.#write(id).catch(this.#onError)));
    await this.journal.close().catch(this.#onError);
  }

  /** How many executions' latest records are waiting to be written again. */
  get unwritten(): number {
    return this.#retries.size;
  }

  #track(promise: Promise<void>): Promise<void> {
    this.#pending.add(promise);
    void promise.finally(() => this.#pending.delete(promise));
    return promise;
  }

  #storedAttempts(id: string): JournalAttempt[] {
    return this.#records.get(id)?.attempts ?? [];
  }

  #readBootId(): Promise<string | undefined> {
    this.#bootId ??= readBootId();
    return this.#bootId;
  }

  /**
   * Deletes the `clear` fields, applies `fields` and writes the record. `strict` rejects on failure; otherwise a failure is
   * reported once and the latest state is written again until it lands.
   */
  #update(
    id: string,
    fields: Partial<JournalRecord>,
    strict: boolean,
    clear: readonly (keyof JournalRecord)[] = [],
  ): Promise<void> {
    const stored = this.#records.get(id);
    if (stored === undefined) return Promise.resolve();
    this.#progress.written(id);
    for (const key of clear) delete stored[key];
    Object.assign(stored, fields);
    if (this.#lost !== undefined) return strict ? Promise.reject(this.#lost) : Promise.resolve();
    const written = this.#write(id);
    this.#track(written.catch(() => {}));
    if (strict) return written;
    return written.then(
      () => this.#retries.cancel(id),
      (error: unknown) => {
        if (!this.#retries.has(id)) this.#onError(wrap(error, 'record a state change', id));
        this.#retries.schedule(id);
      },
    );
  }

  /** Writes the latest state of `id`. */
  #write(id: string): Promise<void> {
    const stored = this.#records.get(id);
    if (stored === undefined || this.#lost !== undefined) return Promise.resolve();
    return this.journal.write({ ...stored });
  }
}

/** A journal failure as a typed error naming what could not be recorded. */
function wrap(error: unknown, what: string, id: string): unknown {
  return error instanceof JournalLockedError || error instanceof JournalWriteError
    ? error
    : new JournalWriteError(`${what}: ${id}`, error, id);
}
