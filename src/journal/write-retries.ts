/** First and longest wait before writing a record again after a failed write. */
const FIRST_DELAY_MS = 50;
const MAX_DELAY_MS = 5000;

/**
 * Writes again, with exponential backoff, the records whose latest write failed (a read-only
 * or full disk for a while), until each lands, is cancelled, or retrying stops. Every try writes
 * the execution's latest state, so a retry never puts an older state back. Timers are unref'd:
 * pending retries never keep Node alive.
 */
export class WriteRetries {
  /** Executions not yet written, with the timer and delay of their next try. */
  readonly #pending = new Map<string, { timer: NodeJS.Timeout | undefined; delay: number }>();
  readonly #write: (id: string) => Promise<void>;
  readonly #track: (written: Promise<void>) => void;
  #stopped = false;

  /** `write` writes the latest state of an id; `track` is told of each try under way. */
  constructor(write: (id: string) => Promise<void>, track: (written: Promise<void>) => void) {
    this.#write = write;
    this.#track = track;
  }

  /** True while `id` waits to be written again (its failure was already reported). */
  has(id: string): boolean {
    return this.#pending.has(id);
  }

  /** How many executions wait to be written again. */
  get size(): number {
    return this.#pending.size;
  }

  /** Writes `id` again later; the delay doubles after each failed try, up to 5 s. */
  schedule(id: string): void {
    if (this.#stopped) return;
    const entry = this.#pending.get(id);
    if (entry?.timer !== undefined) return; // a try is already scheduled
    const delay = entry === undefined ? FIRST_DELAY_MS : Math.min(entry.delay * 2, MAX_DELAY_MS);
    const timer = setTimeout(() => this.#try(id), delay).unref();
    this.#pending.set(id, { timer, delay });
  }

  /** Forgets `id` (it was written, or removed). */
  cancel(id: string): void {
    clearTimeout(this.#pending.get(id)?.timer);
    this.#pending.delete(id);
  }

  /** Stops retrying; returns the ids that were still waiting. */
  stop(): string[] {
    this.#stopped = true;
    const ids = [...this.#pending.keys()];
    for (const id of ids) this.cancel(id);
    return ids;
  }

  #try(id: string): void {
    const entry = this.#pending.get(id);
    if (entry === undefined) return;
    entry.timer = undefined;
    const written = this.#write(id).then(
      () => {
        if (this.#pending.get(id) === entry && entry.timer === undefined) this.#pending.delete(id);
      },
      () => this.schedule(id),
    );
    this.#track(written);
  }
}
