import { mkdir, readdir, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileDurable } from '../journal/durable-write.js';
import { isProcessAlive } from '../journal/proc-info.js';

/** Sub-directory of the journal directory that holds one file per schedule. */
export const SCHEDULES_DIR = 'schedules';

/** Temporary files of `writeFileDurable`; group 1 is the writer's pid. */
const WRITER_TEMP = /\.json\.(\d+)\.[0-9a-f]{8}\.tmp$/;

/** The file of one schedule: small JSON that people and other programs may read. */
interface StoredSchedule {
  version: 1;
  name: string;
  cron: string;
  /** ISO time of the latest occurrence whose run was started. */
  lastRun: string;
}

/**
 * The last fired occurrence of each schedule, kept durably in `<journal>/schedules/<name>.json`
 * (mode 0600, in a 0700 directory): written atomically (temporary file, fsync, rename, fsync of
 * the directory) before the occurrence's run starts, so a host that dies at any moment never
 * makes its successor run that occurrence again. Writes of one name apply one at a time.
 */
export class LastRunStore {
  readonly dir: string;
  #prepared: Promise<void> | undefined;
  readonly #chains = new Map<string, Promise<void>>();

  constructor(journalDir: string) {
    this.dir = join(journalDir, SCHEDULES_DIR);
  }

  /** The recorded last run of `name`; `undefined` when there is none or the file is unreadable. */
  async read(name: string): Promise<Date | undefined> {
    let text: string;
    try {
      text = await readFile(this.#path(name), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    const stored = JSON.parse(text) as Partial<StoredSchedule>;
    const time = typeof stored.lastRun === 'string' ? new Date(stored.lastRun) : undefined;
    if (time === undefined || Number.isNaN(time.getTime()))
      throw new Error(`${this.#path(name)} has no valid \`lastRun\``);
    return time;
  }

  /** Records `lastRun` as the last fired occurrence of `name`; resolves once durable. */
  write(name: string, cron: string, lastRun: Date): Promise<void> {
    const stored: StoredSchedule = { version: 1, name, cron, lastRun: lastRun.toISOString() };
    const text = `${JSON.stringify(stored, null, 2)}\n`;
    const run = async () => {
      await this.#prepare();
      await writeFileDurable(this.#path(name), text);
    };
    const next = (this.#chains.get(name) ?? Promise.resolve()).then(run, run);
    this.#chains.set(name, next);
    const forget = () => {
      if (this.#chains.get(name) === next) this.#chains.delete(name);
    };
    next.then(forget, forget);
    return next;
  }

  #path(name: string): string {
    return join(this.dir, `${name}.json`);
  }

  /** Creates the directory (0700) and deletes temporary files of writers that died, once. */
  #prepare(): Promise<void> {
    this.#prepared ??= (async () => {
      await mkdir(this.dir, { recursive: true, mode: 0o700 });
      const leftovers = (await readdir(this.dir)).filter((file) => {
        const pid = WRITER_TEMP.exec(file)?.[1];
        return pid !== undefined && !isProcessAlive(Number(pid));
      });
      await Promise.all(leftovers.map((file) => unlink(join(this.dir, file)).catch(() => undefined)));
    })();
    this.#prepared.catch(() => {
      this.#prepared = undefined; // try again next time
    });
    return this.#prepared;
  }
}
