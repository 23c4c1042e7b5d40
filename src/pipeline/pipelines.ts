import { uuidv7 } from '../arguments/execution-id.js';
import { checkListFilter, checkWaitOptions } from '../arguments/method-options.js';
import type { ExecutionConfig } from '../config.js';
import { ExecutionNotFoundError, InvalidRequestError, WaitTimeoutError } from '../errors.js';
import type { Lifecycle } from '../run/lifecycle.js';
import type { ExecutionRequest, PipelineRef } from '../types.js';
import { setLongTimeout } from '../utils/long-timer.js';
import { checkPipelineSpec } from './check-spec.js';
import { toStoredPipeline } from './pipeline-record.js';
import { PipelineRun, type StepHost } from './pipeline-run.js';
import { PipelineStore } from './pipeline-store.js';
import type {
  PipelineEvent,
  PipelineListFilter,
  PipelineResult,
  PipelineSnapshot,
  PipelineWaitOptions,
} from './pipeline-types.js';

/** What the engine lends its pipelines. */
export interface PipelineEngine {
  config: ExecutionConfig;
  lifecycle: Lifecycle;
  /** `execute()` for a step: its execution carries `pipeline` (and `schedule`). */
  submit(request: ExecutionRequest, pipeline: PipelineRef, schedule: string | undefined): Promise<string>;
  /** The journal's directory, when there is one: pipelines are recorded there. */
  journalDir: string | undefined;
}

/**
 * The engine's pipelines: registered by `start` once fully checked, followed through their step
 * executions' events, kept (when ended) under the executions' retention rules, recorded in the
 * journal directory when there is one.
 */
export class Pipelines {
  readonly #engine: PipelineEngine;
  readonly #runs = new Map<string, PipelineRun>();
  /** Ended pipelines, in the order they ended (retention removes the oldest first). */
  readonly #ended = new Set<PipelineRun>();
  readonly store: PipelineStore | undefined;
  readonly #host: StepHost;
  /** Set at shutdown: records stay as they are, for the next engine to resume from. */
  #frozen = false;

  constructor(engine: PipelineEngine) {
    this.#engine = engine;
    const { lifecycle } = engine;
    this.store = engine.journalDir === undefined ? undefined : new PipelineStore(engine.journalDir);
    lifecycle.onStepEvent = (record, event) => {
      const ref = record.pipeline;
      if (ref !== undefined) this.#runs.get(ref.id)?.onStepEvent(record, event);
    };
    this.#host = {
      submit: (request, ref, schedule) => engine.submit(request, ref, schedule),
      record: (id) => lifecycle.get(id),
      cancel: (step, reason) => {
        const record = lifecycle.get(step.id);
        if (record !== undefined) void lifecycle.stop(record, 'cancel', reason);
      },
      emit: (_run, event) => lifecycle.bus.emitPipeline(event),
      changed: (run) => this.#record(run),
      finished: (run) => {
        this.#record(run);
        this.#ended.add(run);
        if (this.#ended.size > engine.config.maxInMemoryExecutions) this.cleanup();
      },
    };
  }

  /** Steps and requests lent to recovery. */
  get host(): StepHost {
    return this.#host;
  }

  /**
   * Checks `spec` completely, registers the pipeline (recorded durably first, with a journal) and
   * starts the steps without dependencies; resolves with its id.
   * @throws InvalidRequestError naming the field; nothing is registered.
   */
  async start(spec: unknown, schedule?: string): Promise<string> {
    const checked = checkPipelineSpec(spec, this.#engine.config);
    const id = checked.id ?? uuidv7();
    this.#checkIds(id, checked.keys);
    const run = new PipelineRun(id, checked, this.#host, { schedule });
    this.#runs.set(id, run);
    if (this.store !== undefined) {
      try {
        await this.store.write(id, () => toStoredPipeline(run));
      } catch (error) {
        this.#runs.delete(id);
        throw error;
      }
    }
    run.begin();
    return id;
  }

  /** Registers a pipeline read back from the journal (recovery). */
  register(run: PipelineRun): void {
    this.#runs.set(run.id, run);
    if (run.result !== undefined) this.#ended.add(run);
  }

  /** @throws ExecutionNotFoundError */
  require(id: string): PipelineRun {
    const run = this.#runs.get(id);
    if (run === undefined) throw new ExecutionNotFoundError(id);
    return run;
  }

  get(id: string): PipelineSnapshot {
    return this.require(id).snapshot();
  }

  /** Retained pipelines, oldest first, optionally only those with one of the statuses. */
  list(filter?: PipelineListFilter): PipelineSnapshot[] {
    const statuses = checkListFilter(filter);
    const out: PipelineSnapshot[] = [];
    for (const run of this.#runs.values()) {
      if (statuses === undefined || statuses.has(run.status)) out.push(run.snapshot());
    }
    return out;
  }

  async cancel(id: string, reason?: string): Promise<boolean> {
    const run = this.require(id);
    if (run.result !== undefined) return false;
    const result = await run.cancel(reason ?? 'pipeline cancelled');
    return result.status === 'cancelled';
  }

  /** Resolves once the pipeline has ended; rejects with `WaitTimeoutError` or the signal's reason. */
  async wait(id: string, options?: PipelineWaitOptions): Promise<PipelineResult> {
    const run = this.require(id);
    const { timeoutMs, signal } = checkWaitOptions(options);
    if (run.result !== undefined) return run.result;
    if (signal?.aborted) throw signal.reason;
    if (timeoutMs === undefined && signal === undefined) return run.wait();
    return new Promise((resolve, reject) => {
      const timer =
        timeoutMs === undefined
          ? undefined
          : setLongTimeout(() => done(() => reject(new WaitTimeoutError(id, timeoutMs))), timeoutMs, {
              unref: true,
            });
      const onAbort = () => done(() => reject(signal?.reason));
      let settled = false;
      const done = (finish: () => void) => {
        if (settled) return;
        settled = true;
        timer?.clear();
        signal?.removeEventListener('abort', onAbort);
        finish();
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      void run.wait().then((result) => done(() => resolve(result)));
    });
  }

  subscribe(id: string, signal?: AbortSignal): AsyncIterable<PipelineEvent> {
    return this.require(id).log.subscribe(signal);
  }

  /**
   * Removes ended pipelines past retention (`executionRetentionMs`, then beyond
   * `maxInMemoryExecutions`, oldest first), each with its steps' executions and its record.
   * Returns how many executions were removed with them.
   */
  cleanup(): number {
    const { executionRetentionMs, maxInMemoryExecutions } = this.#engine.config;
    const olderThan = Date.now() - executionRetentionMs;
    let excess = this.#ended.size - maxInMemoryExecutions;
    const removed: PipelineRun[] = [];
    for (const run of this.#ended) {
      const expired = (run.completedAt?.getTime() ?? 0) < olderThan;
      if (!expired && excess <= 0) break;
      removed.push(run);
      excess--;
    }
    let executions = 0;
    for (const run of removed) executions += this.#remove(run);
    return executions;
  }

  /**
   * Shutdown: records are no longer rewritten (the steps cancelled or handed over now say how each
   * ended; the next engine resumes from there), and the writes under way finish.
   */
  async freeze(): Promise<void> {
    this.#frozen = true;
    await this.store?.flush();
  }

  #remove(run: PipelineRun): number {
    this.#runs.delete(run.id);
    this.#ended.delete(run);
    void this.store?.remove(run.id);
    let removed = 0;
    const { lifecycle } = this.#engine;
    for (const step of run.steps) {
      const record = step.executionId === undefined ? undefined : lifecycle.get(step.executionId);
      if (record?.result === undefined) continue;
      lifecycle.remove(record);
      removed++;
    }
    return removed;
  }

  #record(run: PipelineRun): void {
    if (this.store === undefined || this.#frozen || !this.#runs.has(run.id)) return;
    this.store
      .write(run.id, () => toStoredPipeline(run))
      .catch((error: unknown) => {
        process.emitWarning(
          `execution-engine could not write the record of pipeline ${run.id}: ${(error as Error).message}`,
          { code: 'EXECUTION_ENGINE_JOURNAL' },
        );
      });
  }

  /** Pipeline ids are unique; every step's execution id is valid and not taken. */
  #checkIds(id: string, keys: readonly string[]): void {
    if (this.#runs.has(id)) {
      throw new InvalidRequestError(
        'id',
        `Expected \`id\` to be unique, but pipeline \`${id}\` is already retained`,
      );
    }
    for (const key of keys) {
      const stepId = `${id}.${key}`;
      if (stepId.length > 128) {
        throw new InvalidRequestError(
          'id',
          `Expected each step's execution id \`<pipelineId>.<key>\` to be at most 128 characters, got ${stepId.length} for step \`${key}\``,
        );
      }
      if (this.#engine.lifecycle.get(stepId) !== undefined) {
        throw new InvalidRequestError(
          'id',
          `Expected step \`${key}\`'s execution id \`${stepId}\` to be free, but an execution with it is retained`,
        );
      }
    }
  }
}
