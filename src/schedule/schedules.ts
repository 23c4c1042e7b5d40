import { InvalidRequestError } from '../errors.js';
import type { ExecutionRequest } from '../types.js';
import { LastRunStore } from './last-run-store.js';
import { Schedule } from './schedule.js';
import { checkScheduleName, checkScheduleOptions, parseCron } from './schedule-options.js';
import type { ScheduleHandle, ScheduleInfo } from './schedule-types.js';
import {
  type ExecutionStarter,
  executionTarget,
  isPipelineTarget,
  type PipelineStarter,
  pipelineTarget,
  type TargetKind,
} from './targets.js';

/**
 * The engine's schedules by name. `add` checks everything before anything is registered; timers
 * never keep Node alive; `stopAll` (at shutdown) stops every one.
 */
export class Schedules {
  readonly #schedules = new Map<string, Schedule>();
  readonly #store: LastRunStore | undefined;
  readonly #ready: Promise<unknown> | undefined;
  readonly #executions: TargetKind<ExecutionRequest>;
  readonly #pipelines: TargetKind | undefined;

  /**
   * @param journalDir The journal's directory: each schedule's last fired occurrence is kept there.
   * @param ready Settles when the engine may start work (its journal opened and recovered).
   * @param executions How the engine starts a scheduled execution.
   * @param pipelines How the engine starts a scheduled pipeline.
   */
  constructor(
    journalDir: string | undefined,
    ready: Promise<unknown> | undefined,
    executions: ExecutionStarter,
    pipelines?: PipelineStarter,
  ) {
    this.#store = journalDir === undefined ? undefined : new LastRunStore(journalDir);
    this.#ready = ready;
    this.#executions = executionTarget(executions);
    this.#pipelines = pipelines === undefined ? undefined : (pipelineTarget(pipelines) as TargetKind);
  }

  /**
   * Registers a schedule and arms it (with a journal, once the journal is recovered and the last
   * fired occurrence read back).
   * @throws InvalidRequestError naming `name` (invalid or taken), `cron` (expression or time
   * zone), an option, or the target's field; nothing is registered.
   */
  add(name: unknown, cron: unknown, target: unknown, options?: unknown): ScheduleHandle {
    const checkedName = checkScheduleName(name);
    if (this.#schedules.has(checkedName)) {
      throw new InvalidRequestError(
        'name',
        `Expected \`name\` to be unique, but schedule \`${checkedName}\` already exists; unschedule it first`,
      );
    }
    const checked = checkScheduleOptions(options);
    const job = parseCron(cron, checked.timezone);
    const kind = this.#kindOf(target);
    const value = kind.check(target);
    const schedule = new Schedule(
      checkedName,
      (cron as string).trim(),
      job,
      checked,
      { kind, value },
      {
        store: this.#store,
        ready: this.#ready,
        warn,
        stopped: (stopped) => {
          if (this.#schedules.get(stopped) === schedule) this.#schedules.delete(stopped);
        },
      },
    );
    this.#schedules.set(checkedName, schedule);
    void schedule.begin();
    return Object.freeze({
      name: checkedName,
      nextRun: () => schedule.nextRun(),
      stop: () => schedule.stop(),
    });
  }

  /** Stops schedule `name`; `false` if there is none. */
  remove(name: string): boolean {
    const schedule = this.#schedules.get(name);
    schedule?.stop();
    return schedule !== undefined;
  }

  /** Every schedule, in the order they were added. */
  list(): ScheduleInfo[] {
    return [...this.#schedules.values()].map((schedule) => schedule.info());
  }

  /** Stops every schedule (shutdown). */
  stopAll(): void {
    for (const schedule of [...this.#schedules.values()]) schedule.stop();
  }

  /** The kind of a target: a pipeline spec (it has `steps`), else an execution request. */
  #kindOf(target: unknown): TargetKind {
    if (this.#pipelines !== undefined && isPipelineTarget(target)) return this.#pipelines;
    return this.#executions as TargetKind;
  }
}

/** A schedule's run that could not be recorded or started: a process warning, as journal errors are. */
function warn(message: string): void {
  process.emitWarning(`execution-engine: ${message}`, { code: 'EXECUTION_ENGINE_SCHEDULE' });
}
