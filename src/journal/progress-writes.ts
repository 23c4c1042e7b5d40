/** The least time between two progress writes of one execution's record. */
export const PROGRESS_WRITE_INTERVAL_MS = 1000;

/**
 * Paces the journal writes that carry an execution's latest progress: at most one per
 * {@link PROGRESS_WRITE_INTERVAL_MS} per execution. Progress that comes sooner waits for the
 * next slot (one unref'd timer per execution, writing whatever is latest then), so a process
 * printing progress on every line costs one record write a second, and the last reading always
 * lands. A state change writes the progress too, so its pending progress write is dropped.
 */
export class ProgressWrites {
  readonly #write: (id: string) => void;
  /** When the progress of each execution was last written, in epoch ms. */
  readonly #last = new Map<string, number>();
  /** Executions whose progress waits for its slot. */
  readonly #timers = new Map<string, NodeJS.Timeout>();

  /** `write` writes the record of an id, with its latest progress. */
  constructor(write: (id: string) => void) {
    this.#write = write;
  }

  /** New progress for `id`: written now if its last progress write is old enough, else soon. */
  changed(id: string): void {
    if (this.#timers.has(id)) return;
    const wait = (this.#last.get(id) ?? 0) + PROGRESS_WRITE_INTERVAL_MS - Date.now();
    if (wait <= 0) {
      this.#flush(id);
      return;
    }
    const timer = setTimeout(() => {
      this.#timers.delete(id);
      this.#flush(id);
    }, wait).unref();
    this.#timers.set(id, timer);
  }

  /** The record of `id` was written for another reason (with its progress): nothing is pending. */
  written(id: string): void {
    clearTimeout(this.#timers.get(id));
    this.#timers.delete(id);
  }

  /** Forgets `id` (terminal or removed). */
  forget(id: string): void {
    this.written(id);
    this.#last.delete(id);
  }

  /** Stops every timer; returns the ids whose progress was still waiting to be written. */
  stop(): string[] {
    const ids = [...this.#timers.keys()];
    for (const id of ids) this.written(id);
    this.#last.clear();
    return ids;
  }

  #flush(id: string): void {
    this.#last.set(id, Date.now());
    this.#write(id);
  }
}
