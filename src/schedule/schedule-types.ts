/** What a schedule does when an occurrence comes while its previous run has not ended. */
export type ScheduleOverlap = 'skip' | 'queue' | 'allow';

/** Options of `engine.schedule`. Fields also accept `undefined`, meaning the default. */
export interface ScheduleOptions {
  /**
   * When an occurrence comes while the previous run has not ended: `'skip'` drops it (counted in
   * `skipped`), `'queue'` keeps at most one waiting occurrence and starts it when the previous
   * run ends (further ones are skipped), `'allow'` starts it anyway.
   * @default 'skip'
   */
  overlap?: ScheduleOverlap | undefined;
  /**
   * IANA time zone the expression is read in, such as `'Europe/Paris'`; daylight saving changes
   * are handled by the cron library.
   * @default the host's local time zone
   */
  timezone?: string | undefined;
  /**
   * With a journal: after a restart, run ONE occurrence that was missed since the last recorded
   * run (the latest missed one), at once. Without it, missed occurrences are not run.
   * @default false
   */
  catchUp?: boolean | undefined;
}

/** A registered schedule, returned by `engine.schedule`. */
export interface ScheduleHandle {
  /** The schedule's name. */
  readonly name: string;
  /** The next occurrence, or `null` once the schedule is stopped. */
  nextRun(): Date | null;
  /** Stops the schedule and frees its name (same as `engine.unschedule(name)`); runs already started go on. */
  stop(): void;
}

/** One schedule as listed by `engine.listSchedules()`. */
export interface ScheduleInfo {
  name: string;
  /** The expression as given. */
  cron: string;
  /** The time zone the expression is read in, when one was given. */
  timezone?: string;
  overlap: ScheduleOverlap;
  /** The next occurrence. */
  nextRun: Date | null;
  /**
   * The occurrence (the scheduled time, not the moment its process spawned) of the latest run
   * started, in this process or, with a journal, by a previous host; `null` if none.
   */
  lastRun: Date | null;
  /** Occurrences not run because the previous run had not ended (`overlap` `'skip'`, or `'queue'` with one waiting). */
  skipped: number;
  /** Runs started by this schedule that have not ended yet. */
  running: number;
}
