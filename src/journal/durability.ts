import type { ExecutionRecord } from '../state/execution-record.js';
import type { ExecutionRequest } from '../types.js';
import { FileJournal } from './file-journal.js';
import { JournalLockedError, JournalWriteError } from './journal-errors.js';
import { journalFiles } from './journal-files.js';
import { toJournalRequest } from './journal-request.js';
import {
  type ExecutionJournal,
  JOURNAL_RECORD_VERSION,
  type JournalAttempt,
  type JournalFiles,
  type JournalOption,
  type JournalRecord,
} from './journal-types.js';
import { readBootId, readProcessStartTime } from './proc-info.js';
import { WriteRetries } from './write-retries.js';

/** What was looked up about an attempt's process once it was spawned. */
interface FoundProcess {
  number: number;
  procStartTime?: string | undefined;
  bootId?: string | undefined;
}

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
    const upgraded: JournalRecord = { ...stored, version: JOURNAL_RECORD_VERSION };
    if (stored.attempts === undefined && stored.pid !== undefined) {
      const attempt: JournalAttempt = { number: 1, pid: stored.pid };
      if (stored.startedAt !== undefined) attempt.startedAt = stored.startedAt;
      if (stored.procStartTime !== undefined) attempt.procStartTime = stored.procStartTime;
      if (stored.bootId !== undefined) attempt.bootId = stored.bootId;
      upgraded.attempts = [attempt];
    }
    this.#records.set(stored.id, upgraded);
  }

  /**
   * Durably marks an execution as starting, then confirms the journal is still this engine's,
   * before anything is spawned: it must never run twice.
   * @throws JournalWriteError, or JournalLockedError once the lock is lost.
   */
  async starting(id: string): Promise<void> {
    try {
      await this.#update(id, { status: 'running' }, true);
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
    // No status here: a fast process may already be terminal by the time this lands.
    const started: Partial<JournalRecord> = { pid, pgid: pid };
    if (attempt.startedAt !== undefined) {
      started.startedAt = attempt.startedAt.toISOString();
      started.deadline = attempt.startedAt.getTime() + record.timeoutMs;
    }
    if (procStartTime !== undefined) started.procStartTime = procStartTime;
    if (bootId !== undefined) started.bootId = bootId;
    started.attempts = this.#attempts(record, { number: attempt.number, procStartTime, bootId });
    await this.#update(record.id, started, false);
  }

  /** Records the terminal state, and how its last attempt ended. */
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
    if (record.state.attempts.length > 0) fields.attempts = this.#attempts(record);
    return this.#update(record.id, fields, false);
  }

  /**
   * The attempts of `record` as stored: what the state machine knows now, plus the process start
   * time and boot id looked up for each (`found`, or kept from the stored record). Written whole
   * each time, so a late write (the pid lookup finishing after the end) never loses the end.
   */
  #attempts(record: ExecutionRecord, found?: FoundProcess): JournalAttempt[] {
    const stored = this.#records.get(record.id)?.attempts ?? [];
    return record.state.attempts.map((attempt) => {
      const known =
        found?.number === attempt.number ? found : stored.find((a) => a.number === attempt.number);
      const out: JournalAttempt = { number: attempt.number };
      if (attempt.pid !== undefined) out.pid = attempt.pid;
      if (known?.procStartTime !== undefined) out.procStartTime = known.procStartTime;
      if (known?.bootId !== undefined) out.bootId = known.bootId;
      if (attempt.startedAt !== undefined) out.startedAt = attempt.startedAt.toISOString();
      if (attempt.completedAt !== undefined) {
        Object.assign(out, { completedAt: attempt.completedAt.toISOString(), exitCode: attempt.exitCode });
        out.signal = attempt.signal;
      }
      if (attempt.error !== undefined) out.error = attempt.error;
      return out;
    });
  }

  /** Forgets an execution and deletes its record and files. */
  remove(id: string): void {
    this.#records.delete(id);
    this.#retries.cancel(id);
    if (this.#lost !== undefined) return;
    this.#track(this.journal.remove(id).catch(this.#onError));
  }

  /**
   * Waits for every write under way, tries once more each record that has not landed yet, then
   * closes the journal (releasing its lock).
   */
  async close(): Promise<void> {
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

  #readBootId(): Promise<string | undefined> {
    this.#bootId ??= readBootId();
    return this.#bootId;
  }

  /**
   * Applies `fields` and writes the record. `strict` rejects on failure; otherwise a failure is
   * reported once and the latest state is written again until it lands.
   */
  #update(id: string, fields: Partial<JournalRecord>, strict: boolean): Promise<void> {
    const stored = this.#records.get(id);
    if (stored === undefined) return Promise.resolve();
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
