import { isPreset } from './presets.js';
import type { ProgressParser, ProgressUpdate } from './progress-types.js';
import { Throttle } from './throttle.js';

/** Where a tracker's results go. */
export interface ProgressTrackerOptions {
  /** Least time between two `onEmit` calls, in milliseconds. */
  intervalMs: number;
  /** Every new latest update (for snapshots), once per {@link ProgressTracker.commit}. */
  onUpdate(update: Readonly<ProgressUpdate>): void;
  /** The updates to announce, throttled to one per `intervalMs`; the last one always. */
  onEmit(update: Readonly<ProgressUpdate>): void;
  /** The parser threw on `line`: the line is skipped. */
  onError(error: unknown, line: string, stream: 'stdout' | 'stderr'): void;
}

/**
 * The progress of one attempt: runs the parser on each line, keeps the latest update, and hands
 * it on once per chunk of output ({@link commit}), throttled for events.
 */
export class ProgressTracker {
  readonly #parser: ProgressParser;
  /** A built-in parser: its updates are well-formed already. */
  readonly #trusted: boolean;
  readonly #options: ProgressTrackerOptions;
  readonly #throttle: Throttle<Readonly<ProgressUpdate>>;
  /** The latest update read since the last commit. */
  #latest: Readonly<ProgressUpdate> | undefined;

  constructor(parser: ProgressParser, options: ProgressTrackerOptions) {
    this.#parser = parser;
    this.#trusted = isPreset(parser);
    this.#options = options;
    this.#throttle = new Throttle(options.intervalMs, (update) => options.onEmit(update), sameUpdate);
  }

  /** Reads one line of output. A parser that throws is reported and the line skipped. */
  line(line: string, stream: 'stdout' | 'stderr'): void {
    let update: Readonly<ProgressUpdate> | undefined;
    try {
      const parsed = this.#parser(line, stream);
      if (parsed === undefined) return;
      update = this.#trusted ? parsed : normalizeUpdate(parsed);
    } catch (error) {
      this.#options.onError(error, line, stream);
      return;
    }
    if (update !== undefined) this.#latest = update;
  }

  /** End of a chunk of lines: the latest update read becomes current and goes to the throttle. */
  commit(): void {
    const latest = this.#latest;
    if (latest === undefined) return;
    this.#latest = undefined;
    // Frozen once per read, not per line: every listener and snapshot shares it.
    Object.freeze(latest);
    this.#options.onUpdate(latest);
    this.#throttle.push(latest);
  }

  /** End of output: announces the latest update now if it was held back; stops the timer. */
  flush(): void {
    this.commit();
    this.#throttle.flush();
  }
}

function isNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/**
 * A custom parser's result as a {@link ProgressUpdate}: finite numbers and a string message
 * only, `percent` held within 0–100 and derived from `current`/`total` (with `total > 0`) when
 * absent. `undefined` when nothing usable is left.
 */
export function normalizeUpdate(value: unknown): Readonly<ProgressUpdate> | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { percent, current, total, message } = value as Record<string, unknown>;
  const update: ProgressUpdate = {};
  if (isNumber(percent)) update.percent = Math.min(100, Math.max(0, percent));
  else if (isNumber(current) && isNumber(total) && total > 0) {
    update.percent = Math.min(100, Math.max(0, (current / total) * 100));
  }
  if (isNumber(current)) update.current = current;
  if (isNumber(total)) update.total = total;
  if (typeof message === 'string') update.message = message;
  return Object.keys(update).length === 0 ? undefined : update;
}

/** Two updates that say the same. */
function sameUpdate(a: Readonly<ProgressUpdate>, b: Readonly<ProgressUpdate>): boolean {
  return a.percent === b.percent && a.current === b.current && a.total === b.total && a.message === b.message;
}
