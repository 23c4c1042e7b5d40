import { mkdir, readdir, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { isValidExecutionId } from '../arguments/id-pattern.js';
import { writeFileDurable } from '../journal/durable-write.js';
import { PIPELINES_DIR, type StoredPipeline } from './pipeline-record-types.js';

export type { StoredPipeline, StoredStep } from './pipeline-record-types.js';
export { PIPELINES_DIR } from './pipeline-record-types.js';

/**
 * Pipeline records, each rewritten atomically and durably (temporary file, fsync, rename, fsync
 * of the directory; mode 0600 in a 0700 directory) with the pipeline's latest state. Writes of one
 * pipeline apply one at a time; a write asked for while another waits is merged into it.
 */
export class PipelineStore {
  readonly dir: string;
  #prepared: Promise<void> | undefined;
  /** Per pipeline: the write under way, and the one waiting behind it (which serialises on start). */
  readonly #chains = new Map<string, { tail: Promise<void>; queued: Promise<void> | undefined }>();
  readonly #removals = new Set<Promise<void>>();

  constructor(journalDir: string) {
    this.dir = join(journalDir, PIPELINES_DIR);
  }

  /** Writes `state()` (read when the write starts, so it is the latest); resolves once durable. */
  write(id: string, state: () => StoredPipeline): Promise<void> {
    const chain = this.#chains.get(id) ?? { tail: Promise.resolve(), queued: undefined };
    if (chain.queued !== undefined) return chain.queued;
    const run = async () => {
      chain.queued = undefined;
      this.#prepared ??= mkdir(this.dir, { recursive: true, mode: 0o700 }).then(() => {});
      await this.#prepared;
      await writeFileDurable(this.#path(id), `${JSON.stringify(state(), null, 2)}\n`);
    };
    const next = chain.tail.then(run, run);
    chain.tail = next.catch(() => {});
    chain.queued = next;
    this.#chains.set(id, chain);
    void chain.tail.then(() => {
      if (this.#chains.get(id) === chain && chain.queued === undefined) this.#chains.delete(id);
    });
    return next;
  }

  /** Every readable record, oldest first; broken ones are listed with the reason. */
  async readAll(): Promise<{ records: StoredPipeline[]; unreadable: { file: string; reason: string }[] }> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch {
      return { records: [], unreadable: [] };
    }
    const records: StoredPipeline[] = [];
    const unreadable: { file: string; reason: string }[] = [];
    for (const name of names.filter((n) => n.endsWith('.json'))) {
      const file = join(this.dir, name);
      try {
        const value = JSON.parse(await readFile(file, 'utf8')) as StoredPipeline;
        if (value?.version !== 1 || !isValidExecutionId(value.id) || !Array.isArray(value.steps)) {
          unreadable.push({ file, reason: 'not a pipeline record' });
        } else records.push(value);
      } catch (error) {
        unreadable.push({ file, reason: (error as Error).message });
      }
    }
    records.sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0));
    return { records, unreadable };
  }

  /** Deletes the record of `id`, after its pending writes. */
  remove(id: string): Promise<void> {
    const removal = (async () => {
      await this.#chains.get(id)?.tail;
      await unlink(this.#path(id)).catch(() => {});
    })();
    this.#removals.add(removal);
    void removal.finally(() => this.#removals.delete(removal));
    return removal;
  }

  /** Waits for every write and removal under way. */
  async flush(): Promise<void> {
    await Promise.all([...this.#chains.values()].map((chain) => chain.tail));
    await Promise.all(this.#removals);
  }

  #path(id: string): string {
    return join(this.dir, `${id}.json`);
  }
}
