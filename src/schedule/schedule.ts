import type { Cron } from 'croner';
import { type LongTimer, setLongTimeout } from '../utils/long-timer.js';
import type { LastRunStore } from './last-run-store.js';
import type { CheckedScheduleOptions } from './schedule-options.js';
import type { ScheduleHandle, ScheduleInfo } from './schedule-types.js';
import type { TargetKind } from './targets.js';

/** What a schedule needs from its registry. */
export interface ScheduleContext {
  /** Where the last fired occurrence is kept (with a journal that has a directory). */
  store: LastRunStore | undefined;
  /** Settles when the engine may start work (its journal opened and recovered). */
  ready: Promise<unknown> | undefined;
  /** Reports a run that could not be recorded or started. */
  warn(message: string): void;
  /** Called once when the schedule stops. */
  stopped(name: string): void;
}

/**
 * One schedule: an unref'd timer armed for its next occurrence, the overlap rule, and the last
 * fired occurrence. An occurrence is fired at most once: it must come after the last fired one,
 * which (with a journal) is recorded durably before its run starts.
 */
export class Schedule<Target = unknown> implements ScheduleHandle {
  readonly name: string;
  readonly cron: string;
  readonly #job: Cron;
  readonly #options: CheckedScheduleOptions;
  readonly #target: Target;
  readonly #kind: TargetKind<Target>;
  readonly #context: ScheduleContext;
  /** The latest occurrence whose run was started (or, after a restart, recorded by the previous host). */
  #lastRun: Date | undefined;
  #skipped = 0;
  /** Runs started (or being recorded and started) that have not ended. */
  #active = 0;
  /** With `overlap: 'queue'`: the occurrence waiting for the running one to end. */
  #waiting: Date | undefined;
  #timer: LongTimer | undefined;
  #stopped = false;
  /** Recording and starting runs, one at a time, in occurrence order. */
  #chain: Promise<void> = Promise.resolve();

  constructor(
    name: string,
    cron: string,
    job: Cron,
    options: CheckedScheduleOptions,
    target: { kind: TargetKind<Target>; value: Target },
    context: ScheduleContext,
  ) {
    this.name = name;
    this.cron = cron;
    this.#job = job;
    this.#options = options;
    this.#kind = target.kind;
    this.#target = target.value;
    this.#context = context;
  }

  /** Reads the recorded last run (with a journal), runs one missed occurrence if asked, then arms the timer. */
  async begin(): Promise<void> {
    const { ready, store } = this.#context;
    try {
      await ready;
    } catch (error) {
      if (!this.#stopped) this.#context.warn(`schedule \`${this.name}\` cannot start: ${messageOf(error)}`);
      return;
    }
    try {
      if (store !== undefined && !this.#stopped) this.#lastRun = await store.read(this.name);
    } catch (error) {
      // Only someone else can have damaged it (writes are atomic): go on as if nothing was recorded.
      this.#context.warn(`schedule \`${this.name}\`: its last run cannot be read back: ${messageOf(error)}`);
    }
    if (this.#stopped) return;
    const last = this.#lastRun;
    if (this.#options.catchUp && last !== undefined) {
      const missed = this.#job.previousRuns(1, new Date())[0];
      if (missed !== undefined && missed > last) this.#occur(missed);
    }
    this.#arm();
  }

  nextRun(): Date | null {
    if (this.#stopped) return null;
    return this.#job.nextRun(new Date(Math.max(Date.now(), this.#lastRun?.getTime() ?? 0)));
  }

  stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#timer?.clear();
    this.#waiting = undefined;
    this.#context.stopped(this.name);
  }

  info(): ScheduleInfo {
    const { overlap, timezone } = this.#options;
    const info: ScheduleInfo = {
      name: this.name,
      cron: this.cron,
      overlap,
      nextRun: this.nextRun(),
      lastRun: this.#lastRun ?? null,
      skipped: this.#skipped,
      running: this.#active,
    };
    if (timezone !== undefined) info.timezone = timezone;
    return info;
  }

  /** Arms the timer for the next occurrence (never one already fired); it never keeps Node alive. */
  #arm(): void {
    const next = this.nextRun();
    if (next === null) return;
    this.#timer = setLongTimeout(() => this.#due(next), next.getTime() - Date.now(), { unref: true });
  }

  #due(occurrence: Date): void {
    if (this.#stopped) return;
    // A timer may fire a little before the wall clock reaches the occurrence: wait for it.
    if (Date.now() < occurrence.getTime()) {
      this.#timer = setLongTimeout(() => this.#due(occurrence), occurrence.getTime() - Date.now(), {
        unref: true,
      });
      return;
    }
    this.#occur(occurrence);
    this.#arm();
  }

  /** An occurrence is due: run it, or queue or skip it while the previous run goes on. */
  #occur(occurrence: Date): void {
    if (this.#stopped || (this.#lastRun !== undefined && occurrence <= this.#lastRun)) return;
    if (this.#active > 0 && this.#options.overlap !== 'allow') {
      if (this.#options.overlap === 'queue' && this.#waiting === undefined) this.#waiting = occurrence;
      else this.#skipped++;
      return;
    }
    this.#run(occurrence);
  }

  #run(occurrence: Date): void {
    this.#lastRun = occurrence;
    this.#active++;
    this.#chain = this.#chain.then(() => this.#record(occurrence));
  }

  /** Records the occurrence durably (with a journal), then starts its run. */
  async #record(occurrence: Date): Promise<void> {
    let ended: Promise<unknown> | undefined;
    try {
      await this.#context.store?.write(this.name, this.cron, occurrence);
      if (!this.#stopped) ended = (await this.#kind.start(this.#target, this.name)).ended;
    } catch (error) {
      if (!this.#stopped) {
        this.#context.warn(
          `schedule \`${this.name}\` did not run ${occurrence.toISOString()}: ${messageOf(error)}`,
        );
      }
    }
    if (ended === undefined) this.#ended();
    else ended.then(this.#ended, this.#ended);
  }

  #ended = (): void => {
    this.#active--;
    const waiting = this.#waiting;
    if (waiting === undefined || this.#active > 0 || this.#stopped) return;
    this.#waiting = undefined;
    this.#run(waiting);
  };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
