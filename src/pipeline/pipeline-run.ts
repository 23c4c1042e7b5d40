import type { ExecutionEvent } from '../events/event-types.js';
import type {
  ExecutionErrorInfo,
  ExecutionRequest,
  ExecutionResult,
  ExecutionStatus,
  PipelineRef,
} from '../types.js';
import { isTerminal } from '../types.js';
import type { CheckedSpec, CheckedStep } from './check-spec.js';
import { dependentsOf } from './dag.js';
import { PipelineEventLog } from './pipeline-events.js';
import {
  buildResult,
  buildSnapshot,
  emptySummary,
  isEnded,
  type StepState,
  succeeded,
} from './pipeline-snapshot.js';
import type {
  PipelineResult,
  PipelineSnapshot,
  PipelineStatus,
  PipelineSummary,
  StepStatus,
} from './pipeline-types.js';
import { substituteEnv } from './placeholders.js';

/**
 * What a pipeline reads of a step's execution: the local engine's `ExecutionRecord`, or a mirror
 * kept from events by an engine whose executions run elsewhere (`execution-engine/bullmq`).
 */
export interface StepRecord {
  readonly id: string;
  readonly pipeline: PipelineRef | undefined;
  readonly status: ExecutionStatus;
  readonly result: ExecutionResult | undefined;
}

/** What a pipeline needs from the engine. */
export interface StepHost {
  /** `execute()` for a step: its execution carries `pipeline` (and the pipeline's `schedule`). */
  submit(request: ExecutionRequest, ref: PipelineRef, schedule: string | undefined): Promise<string>;
  /** The retained execution `id`, if any. */
  record(id: string): StepRecord | undefined;
  /** Cancels a step's execution (queued or running) with `reason`. */
  cancel(record: StepRecord, reason: string): void;
  /** Emits a pipeline event on the engine. */
  emit(run: PipelineRun, event: Parameters<PipelineEventLog['add']>[0]): void;
  /** A step ended (or the pipeline did): the pipeline's record is written again. */
  changed(run: PipelineRun): void;
  /** The pipeline ended. */
  finished(run: PipelineRun): void;
}

/** A step's state carried over from a previous host (recovery). */
export interface KnownStep {
  status: StepStatus;
  executionId?: string | undefined;
  error?: ExecutionErrorInfo | undefined;
  outputs?: Record<string, string> | undefined;
  succeeded?: boolean | undefined;
}

/**
 * One pipeline: starts each step once its dependencies have ended and none forbids it, follows
 * its execution's events, applies the failure policies and `failFast`, and ends when every step
 * has ended or been skipped. Step executions are ordinary executions (every admission rule
 * applies); their id is `<pipelineId>.<key>`.
 */
export class PipelineRun {
  readonly id: string;
  readonly spec: CheckedSpec;
  readonly createdAt: Date;
  readonly schedule: string | undefined;
  readonly log = new PipelineEventLog();
  startedAt: Date | undefined;
  completedAt: Date | undefined;
  #status: PipelineStatus = 'running';
  readonly #host: StepHost;
  readonly #steps = new Map<string, StepState>();
  readonly #dependents: Map<string, string[]>;
  readonly #summary: PipelineSummary;
  /** A `fail` step failed: nothing more starts. */
  #failed = false;
  #cancelled = false;
  /** Steps whose request is being built or submitted. */
  #launching = 0;
  #seq = 0;
  #result: PipelineResult | undefined;
  readonly #waiters: ((result: PipelineResult) => void)[] = [];

  constructor(
    id: string,
    spec: CheckedSpec,
    host: StepHost,
    origin: { createdAt?: Date; schedule?: string | undefined } = {},
  ) {
    this.id = id;
    this.spec = spec;
    this.#host = host;
    this.createdAt = origin.createdAt ?? new Date();
    this.schedule = origin.schedule;
    this.#dependents = dependentsOf(spec.steps);
    this.#summary = emptySummary(spec.steps.length);
    for (const step of spec.steps) {
      this.#steps.set(step.key, {
        spec: step,
        status: 'pending',
        waitingOn: step.dependsOn.length,
        launching: false,
      });
    }
  }

  get status(): PipelineStatus {
    return this.#status;
  }
  get result(): PipelineResult | undefined {
    return this.#result;
  }
  /** Steps in dependency order. */
  get steps(): readonly StepState[] {
    return [...this.#steps.values()];
  }

  /** Starts the steps without dependencies; `known` carries steps a previous host ran (recovery). */
  begin(known?: ReadonlyMap<string, KnownStep>, startedAt = new Date()): void {
    this.startedAt = startedAt;
    if (known !== undefined) this.#restore(known);
    for (const step of this.#steps.values()) {
      if (step.status === 'pending' && step.waitingOn === 0) this.#consider(step);
    }
    this.#maybeFinish();
  }

  /** An event of one of this pipeline's step executions (after the engine emitted it). */
  onStepEvent(record: StepRecord, event: ExecutionEvent): void {
    const step = this.#steps.get(record.pipeline?.step ?? '');
    if (step === undefined || isEnded(step)) return;
    step.executionId ??= record.id;
    if (record.result !== undefined && isTerminal(record.status)) {
      if (event.type === 'recovered') return; // its terminal event follows
      this.#end(step, record.result);
      return;
    }
    if (record.status !== step.status) this.#setStatus(step, record.status, true);
  }

  /** Cancels queued and running steps, skips pending ones; resolves with the result. */
  cancel(reason: string): Promise<PipelineResult> {
    if (this.#result === undefined && !this.#cancelled) {
      this.#cancelled = true;
      this.#stopAll(reason);
    }
    return this.wait();
  }

  /** Resolves once the pipeline has ended. */
  wait(): Promise<PipelineResult> {
    if (this.#result !== undefined) return Promise.resolve(this.#result);
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  snapshot(): PipelineSnapshot {
    return buildSnapshot(this, this.#status, { ...this.#summary });
  }

  /** The outputs of step `key` once it has ended. */
  outputsOf(key: string): Readonly<Record<string, string>> | undefined {
    const step = this.#steps.get(key);
    return step?.outputs ?? step?.result?.outputs;
  }

  /**
   * Recovery of a pipeline that cannot be resumed (it has function steps): it ends `failed` at
   * once; steps that had not ended are `cancelled` with error `LOST` (a step execution still
   * queued or running is cancelled, reason `'pipeline lost'`).
   */
  endLost(known: ReadonlyMap<string, KnownStep>, startedAt: Date | undefined): void {
    this.startedAt = startedAt;
    this.#adoptStates(known);
    const error: ExecutionErrorInfo = {
      code: 'LOST',
      message:
        'The host stopped while the pipeline ran, and a pipeline with function steps cannot be resumed',
    };
    for (const step of this.#steps.values()) {
      // Cancelled by recovery (queued when the host died, held back): unfinished as well.
      const stored = known.get(step.spec.key);
      const heldBack = step.status === 'cancelled' && stored !== undefined && !isEnded(stored);
      if (heldBack) step.error = error;
      if (isEnded(step)) continue;
      const record = step.executionId === undefined ? undefined : this.#host.record(step.executionId);
      if (record !== undefined && record.result === undefined) this.#host.cancel(record, 'pipeline lost');
      step.error = error;
      this.#setStatus(step, 'cancelled', false);
    }
    this.#failed = true;
    this.#maybeFinish();
  }

  /** Recovery of a pipeline that had ended: kept for queries (and retention), without events. */
  restoreEnded(
    known: ReadonlyMap<string, KnownStep>,
    status: Exclude<PipelineStatus, 'running'>,
    times: { startedAt?: Date | undefined; completedAt: Date },
  ): void {
    this.startedAt = times.startedAt;
    this.completedAt = times.completedAt;
    this.#adoptStates(known);
    this.#status = status;
    this.#result = buildResult(this, status, { ...this.#summary });
    this.log.add({
      type: 'pipeline',
      pipelineId: this.id,
      seq: ++this.#seq,
      timestamp: times.completedAt.getTime(),
      status,
      summary: { ...this.#summary },
    });
  }

  /**
   * Recovery: the state of each step from its retained execution, else from the pipeline's record
   * (a step that ended and whose execution is gone, or that was skipped). Then the failure
   * policies are applied to what had ended, as they were before the crash.
   */
  #restore(known: ReadonlyMap<string, KnownStep>): void {
    this.#adoptStates(known);
    for (const step of this.#steps.values()) {
      if (failed(step) && step.spec.onFailure === 'fail') this.#failed = true;
    }
    if (this.#failed && this.spec.failFast) this.#stopAll('pipeline failed');
    else if (this.#failed) this.#skipPending();
  }

  /** Each step's state from its retained execution, else from the stored record. */
  #adoptStates(known: ReadonlyMap<string, KnownStep>): void {
    for (const step of this.#steps.values()) {
      const id = `${this.id}.${step.spec.key}`;
      const record = this.#host.record(id);
      const stored = known.get(step.spec.key);
      if (record !== undefined) {
        step.executionId = id;
        if (record.result !== undefined) step.result = record.result;
        this.#setStatus(step, record.status, false);
      } else if (
        stored !== undefined &&
        (stored.status === 'skipped' || isTerminal(stored.status as never))
      ) {
        step.executionId = stored.executionId;
        step.error = stored.error;
        step.outputs = stored.outputs;
        step.succeeded = stored.succeeded;
        this.#setStatus(step, stored.status, false);
      }
      if (!isEnded(step)) continue;
      for (const key of this.#dependents.get(step.spec.key) ?? []) this.#steps.get(key)!.waitingOn--;
    }
  }

  /** A step whose dependencies have all ended: start it, or skip it. */
  #consider(step: StepState): void {
    if (step.status !== 'pending' || step.launching) return;
    const forbidden = step.spec.dependsOn.some((key) => {
      const dep = this.#steps.get(key)!;
      return dep.status === 'skipped' || (failed(dep) && dep.spec.onFailure === 'skipDependents');
    });
    if (this.#failed || this.#cancelled || forbidden) this.#endWithoutResult(step, 'skipped');
    else void this.#launch(step);
  }

  async #launch(step: StepState): Promise<void> {
    step.launching = true;
    this.#launching++;
    const { key } = step.spec;
    try {
      const request = await this.#requestOf(step.spec);
      if (this.#failed || this.#cancelled) {
        step.launching = false;
        this.#launching--;
        this.#endWithoutResult(step, 'skipped');
        return;
      }
      const id = `${this.id}.${key}`;
      await this.#host.submit({ ...request, id }, Object.freeze({ id: this.id, step: key }), this.schedule);
      step.launching = false;
      this.#launching--;
      const record = this.#host.record(id);
      if (record !== undefined && !isEnded(step)) {
        step.executionId = id;
        if (record.result !== undefined) this.#end(step, record.result);
        else if (record.status !== step.status) this.#setStatus(step, record.status, true);
        if (!isEnded(step) && (this.#cancelled || (this.#failed && this.spec.failFast))) {
          this.#host.cancel(record, this.#cancelled ? 'pipeline cancelled' : 'pipeline failed');
        }
      }
      this.#maybeFinish();
    } catch (error) {
      step.launching = false;
      this.#launching--;
      const code = (error as { code?: unknown }).code;
      step.error = {
        code: typeof code === 'string' ? (code as ExecutionErrorInfo['code']) : 'FAILED',
        message: error instanceof Error ? error.message : String(error),
      };
      this.#endWithoutResult(step, 'failed');
    }
  }

  /** The request of a step that is ready: built by its function, or its env placeholders filled in. */
  async #requestOf(spec: CheckedStep): Promise<ExecutionRequest> {
    if (spec.request.kind === 'function') {
      const results: Record<string, ExecutionResult> = {};
      const outputs: Record<string, Record<string, string>> = {};
      for (const step of this.#steps.values()) {
        if (step.result !== undefined) results[step.spec.key] = step.result;
        const own = this.outputsOf(step.spec.key);
        if (own !== undefined && isEnded(step)) outputs[step.spec.key] = { ...own };
      }
      const built = await spec.request.build({ pipelineId: this.id, results, outputs });
      const id = (built as { id?: unknown } | undefined)?.id;
      if (id !== undefined && id !== `${this.id}.${spec.key}`) {
        const error = new Error(
          `Expected no \`id\` in the request built for step \`${spec.key}\`: its execution id is \`${this.id}.${spec.key}\``,
        );
        Object.assign(error, { code: 'INVALID_REQUEST' });
        throw error;
      }
      return built;
    }
    const { request } = spec.request;
    if (request.env === undefined) return request;
    return { ...request, env: substituteEnv(request.env, (key) => this.outputsOf(key)) };
  }

  #end(step: StepState, result: ExecutionResult): void {
    step.result = result;
    this.#endWithoutResult(step, result.status);
  }

  /** Marks a step ended with `status` and goes on with what it unblocks. */
  #endWithoutResult(step: StepState, status: StepStatus): void {
    this.#setStatus(step, status, true);
    // Steps cancelled by cancelPipeline do not turn a cancelled pipeline into a failed one.
    if (failed(step) && step.spec.onFailure === 'fail' && !this.#failed && !this.#cancelled) {
      this.#failed = true;
      if (this.spec.failFast) this.#stopAll('pipeline failed');
      else this.#skipPending();
    }
    this.#host.changed(this);
    for (const key of this.#dependents.get(step.spec.key) ?? []) {
      const dependent = this.#steps.get(key)!;
      if (--dependent.waitingOn === 0) this.#consider(dependent);
    }
    this.#maybeFinish();
  }

  /** Skips every pending step not being launched, and cancels queued and running ones. */
  #stopAll(reason: string): void {
    this.#skipPending();
    for (const step of this.#steps.values()) {
      if (isEnded(step) || step.executionId === undefined) continue;
      const record = this.#host.record(step.executionId);
      if (record !== undefined && record.result === undefined) this.#host.cancel(record, reason);
    }
    this.#maybeFinish();
  }

  #skipPending(): void {
    for (const step of this.#steps.values()) {
      if (step.status === 'pending' && !step.launching) this.#setStatus(step, 'skipped', true);
    }
  }

  #setStatus(step: StepState, status: StepStatus, emit: boolean): void {
    const before = step.status;
    if (before === status) return;
    this.#summary[before]--;
    this.#summary[status]++;
    step.status = status;
    if (emit) this.#emit({ key: step.spec.key, status });
  }

  #emit(step?: { key: string; status: StepStatus }): void {
    const event = {
      type: 'pipeline' as const,
      pipelineId: this.id,
      seq: ++this.#seq,
      timestamp: Date.now(),
      status: this.#status,
      ...(step === undefined ? {} : { step }),
      summary: { ...this.#summary },
    };
    this.log.add(event);
    this.#host.emit(this, event);
  }

  #maybeFinish(): void {
    if (this.#result !== undefined || this.#launching > 0) return;
    const { total, completed, failed, timeout, cancelled, skipped } = this.#summary;
    if (completed + failed + timeout + cancelled + skipped < total) return;
    this.#status = this.#failed ? 'failed' : this.#cancelled ? 'cancelled' : 'completed';
    this.completedAt = new Date();
    this.#result = buildResult(this, this.#status, { ...this.#summary });
    this.#emit();
    this.#host.finished(this);
    for (const resolve of this.#waiters.splice(0)) resolve(this.#result);
  }
}

/** True for a step that ended without succeeding. */
function failed(step: StepState): boolean {
  return isEnded(step) && step.status !== 'skipped' && !succeeded(step);
}
