import { readdir, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { isValidExecutionId } from '../arguments/id-pattern.js';
import { fsyncDir, writeFileDurable } from './durable-write.js';
import { readExitFile } from './exit-status.js';
import { journalOpenError, prepareJournalDir } from './journal-dir.js';
import { JournalNotOpenError } from './journal-errors.js';
import { journalFiles, RECORD_SUFFIX } from './journal-files.js';
import { JournalLock } from './journal-lock.js';
import type {
  ExecutionJournal,
  JournalExit,
  JournalFiles,
  JournalReadResult,
  JournalRecord,
  UnreadableRecord,
} from './journal-types.js';
import { isProcessAlive } from './proc-info.js';
import { decodeRecord, encodeRecord, recordProblem } from './record-codec.js';

/** Options of {@link FileJournal}. */
export interface FileJournalOptions {
  /** Directory of the journal; created if missing. */
  dir: string;
}

/** Record files read at once by `readAll`, to stay far from the open-files limit. */
const READ_CONCURRENCY = 16;
/** Temporary files of record and lock writes (see `tempPathFor`); group 1 is the writer's pid. */
const WRITER_TEMP = /\.(?:json|lock|takeover)\.(\d+)\.[0-9a-f]{8}\.tmp$/;

const ignoreMissing = (error: unknown) => {
  if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
};

/**
 * The built-in journal: one JSON file per execution, `<dir>/<id>.json`, replaced atomically and
 * durably on every write (temporary file, fsync, rename, fsync of the directory), beside the
 * execution's `<id>.stdout.log`, `<id>.stderr.log`, `<id>.exit` and `<id>.input`. Other programs
 * may read the directory at any time. `open()` takes `journal.lock`.
 *
 * @example
 * ```ts
 * const journal = new FileJournal({ dir: '/var/lib/my-app/executions' });
 * await journal.open();
 * const { records, unreadable } = await journal.readAll();
 * ```
 */
export class FileJournal implements ExecutionJournal {
  readonly dir: string;
  readonly #lock: JournalLock;
  #open = false;
  // Tail of the queue of pending writes and removals of each id: one at a time, in call order.
  readonly #chains = new Map<string, Promise<void>>();

  constructor(options: FileJournalOptions) {
    this.dir = options.dir;
    this.#lock = new JournalLock(options.dir);
  }

  /** True between `open()` and `close()`. */
  get isOpen(): boolean {
    return this.#open;
  }

  /**
   * Creates the directory (mode 0700), takes the lock and deletes temporary files left by writers
   * that died mid-write. @throws JournalLockedError when another live engine owns the directory,
   * JournalWriteError when the directory cannot be created or the lock file written.
   */
  async open(): Promise<void> {
    if (this.#open) return;
    await prepareJournalDir(this.dir);
    await this.#lock.acquire().catch((error: unknown) => {
      throw journalOpenError(error);
    });
    this.#open = true;
    // Temporary files of writers that died mid-write; a live writer (e.g. a contender for the
    // lock) still needs its own.
    const leftovers = (await readdir(this.dir)).filter((name) => {
      const pid = WRITER_TEMP.exec(name)?.[1];
      return pid !== undefined && !isProcessAlive(Number(pid));
    });
    await Promise.all(leftovers.map((name) => unlink(join(this.dir, name)).catch(ignoreMissing)));
  }

  /**
   * Replaces the record of `record.id` durably. The record is serialised at call time; writes
   * of one id are applied one at a time in call order, writes of different ids in parallel.
   */
  write(record: JournalRecord): Promise<void> {
    if (!this.#open) return Promise.reject(new JournalNotOpenError(this.dir));
    const problem = recordProblem(record);
    if (problem !== undefined) return Promise.reject(new TypeError(`Invalid journal record: ${problem}`));
    const text = encodeRecord(record);
    const path = this.files(record.id).record;
    return this.#enqueue(record.id, () => writeFileDurable(path, text));
  }

  /** Reads every `*.json` record; torn, garbage or foreign files are listed in `unreadable`. */
  async readAll(): Promise<JournalReadResult> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch (error) {
      ignoreMissing(error);
      return { records: [], unreadable: [] };
    }
    const records: JournalRecord[] = [];
    const unreadable: UnreadableRecord[] = [];
    const pending = names.filter((name) => name.endsWith(RECORD_SUFFIX));
    const worker = async () => {
      for (let name = pending.pop(); name !== undefined; name = pending.pop()) {
        const file = join(this.dir, name);
        const id = name.slice(0, -RECORD_SUFFIX.length);
        if (!isValidExecutionId(id)) {
          unreadable.push({ file, reason: 'file name is not an execution id' });
          continue;
        }
        try {
          const result = decodeRecord(await readFile(file, 'utf8'), id);
          if ('record' in result) records.push(result.record);
          else unreadable.push({ id, file, reason: result.reason });
        } catch (error) {
          const { code, message } = error as NodeJS.ErrnoException;
          if (code !== 'ENOENT') unreadable.push({ id, file, reason: `cannot read: ${code ?? message}` });
        }
      }
    };
    await Promise.all(Array.from({ length: READ_CONCURRENCY }, worker));
    records.sort((a, b) =>
      a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.id < b.id ? -1 : 1,
    );
    unreadable.sort((a, b) => (a.file < b.file ? -1 : 1));
    return { records, unreadable };
  }

  /** The exit status the wrapper wrote to `<id>.exit`, or `undefined` while there is none. */
  readExit(id: string): Promise<JournalExit | undefined> {
    return readExitFile(this.files(id).exit);
  }

  /** Deletes `<id>.json` and the exit, input, output and log files of `id`, after pending writes of it. */
  remove(id: string): Promise<void> {
    if (!this.#open) return Promise.reject(new JournalNotOpenError(this.dir));
    const files = this.files(id);
    const paths = [
      files.record,
      files.exit,
      `${files.exit}.tmp`,
      files.input,
      ...(files.output === undefined ? [] : [files.output]),
      files.stdoutLog,
      files.stderrLog,
    ];
    return this.#enqueue(id, async () => {
      await Promise.all(paths.map((path) => unlink(path).catch(ignoreMissing)));
      await fsyncDir(this.dir);
    });
  }

  /**
   * Confirms this journal still owns its directory; the engine calls it before every start.
   * @throws JournalLockedError (`lost: true`) when the lock file was deleted or replaced and
   * nothing else proves ownership.
   */
  assertOwned(): Promise<void> {
    if (!this.#open) return Promise.reject(new JournalNotOpenError(this.dir));
    return this.#lock.verify();
  }

  /** Waits for every pending write, then releases the lock. Idempotent. */
  async close(): Promise<void> {
    while (this.#chains.size > 0) await Promise.allSettled([...this.#chains.values()]);
    this.#open = false;
    await this.#lock.release();
  }

  /** Paths of the files of `id` in this journal. @throws TypeError for an id that is not a safe file name. */
  files(id: string): JournalFiles {
    if (!isValidExecutionId(id)) {
      throw new TypeError(`Invalid execution id for a journal: ${JSON.stringify(id)}`);
    }
    return journalFiles(this.dir, id);
  }

  /** Runs `task` after every earlier task of `id`, whether those succeeded or not. */
  #enqueue(id: string, task: () => Promise<void>): Promise<void> {
    const run = () => task();
    const next = (this.#chains.get(id) ?? Promise.resolve()).then(run, run);
    this.#chains.set(id, next);
    const forget = () => {
      if (this.#chains.get(id) === next) this.#chains.delete(id);
    };
    next.then(forget, forget);
    return next;
  }
}
