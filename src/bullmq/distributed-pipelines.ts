import { uuidv7 } from '../arguments/execution-id.js';
import { checkListFilter, checkWaitOptions } from '../arguments/method-options.js';
import type { ExecutionConfig } from '../config.js';
import { ExecutionNotFoundError, InvalidRequestError, WaitTimeoutError } from '../errors.js';
import { type ExecutionEvent, isTerminalEvent } from '../events/event-types.js';
import { checkPipelineSpec } from '../pipeline/check-spec.js';
import { PipelineRun, type StepHost, type StepRecord } from '../pipeline/pipeline-run.js';
import type {
  PipelineEvent,
  PipelineListFilter,
  PipelineResult,
  PipelineSnapshot,
  PipelineWaitOptions,
} from '../pipeline/pipeline-types.js';
import type { ExecutionRequest, ExecutionResult, ExecutionStatus, PipelineRef } from '../types.js';
import { isPlainObject } from '../utils/checks.js';
import { checkCapability } from './redis-keys.js';

/** What the pipelines of a DistributedEngine use of it. */
export interface PipelineDeps {
  config: ExecutionConfig;
  /** Submits a step's execution (with its `requires`) through the distributed engine. */
  submit(request: ExecutionRequest, ref: PipelineRef): Promise<string>;
  cancel(id: string, reason: string): Promise<unknown>;
  emit(event: PipelineEvent): void;
  /** Starts following the engine-wide events, where the steps' events come from. */
  follow(): Promise<void>;
  /** Keeps Node alive until the returned release is called (a pipeline under way). */
  hold(): () => void;
}

interface Mirror extends StepRecord {
  status: ExecutionStatus;
  result: ExecutionResult | undefined;
}

/**
 * Pipelines of a DistributedEngine: the same orchestration as the local engine's (`PipelineRun`:
 * dependencies, placeholders, failure policies, events), in the process that started them; each
 * step is an execution submitted through the DistributedEngine (so it runs on a worker with its
 * `requires`), followed through the engine-wide event stream.
 */
export class DistributedPipelines {
  readonly #deps: PipelineDeps;
  readonly #runs = new Map<string, PipelineRun>();
  /** Each running step's execution as its events tell. */
  readonly #steps = new Map<string, Mirror>();

  constructor(deps: PipelineDeps) {
    this.#deps = deps;
  }

  /** @throws InvalidRequestError naming the field; nothing is started. */
  async start(spec: unknown): Promise<string> {
    const { plain, requires } = splitRequires(spec);
    const checked = checkPipelineSpec(plain, this.#deps.config);
    const id = checked.id ?? uuidv7();
    if (this.#runs.has(id)) {
      throw new InvalidRequestError(
        'id',
        `Expected \`id\` to be unique, but pipeline \`${id}\` is already retained`,
      );
    }
    await this.#deps.follow();
    const host: StepHost = {
      submit: (request, ref) => {
        const stepId = `${ref.id}.${ref.step}`;
        this.#steps.set(stepId, { id: stepId, pipeline: ref, status: 'queued', result: undefined });
        const capability = requires.get(ref.step);
        return this.#deps.submit(
          capability === undefined ? request : ({ ...request, requires: capability } as ExecutionRequest),
          ref,
        );
      },
      record: (stepId) => this.#steps.get(stepId),
      cancel: (record, reason) => void this.#deps.cancel(record.id, reason).catch(() => {}),
      emit: (_run, event) => this.#deps.emit(event),
      changed: () => {},
      finished: (run) => {
        for (const step of run.steps) this.#steps.delete(`${run.id}.${step.spec.key}`);
      },
    };
    const run = new PipelineRun(id, checked, host);
    this.#runs.set(id, run);
    void run.wait().then(this.#deps.hold());
    run.begin();
    return id;
  }

  /** An event of the engine-wide stream: a step's progress for its pipeline. */
  onEvent(event: ExecutionEvent): void {
    const ref = event.pipeline;
    const run = ref === undefined ? undefined : this.#runs.get(ref.id);
    const step = this.#steps.get(event.executionId);
    if (run === undefined || step === undefined) return;
    if (event.type === 'started') step.status = 'running';
    else if (event.type === 'retrying') step.status = 'queued';
    else if (isTerminalEvent(event)) {
      step.status = event.type;
      step.result = event.result;
    }
    run.onStepEvent(step, event);
  }

  /** @throws ExecutionNotFoundError */
  require(id: string): PipelineRun {
    const run = this.#runs.get(id);
    if (run === undefined) throw new ExecutionNotFoundError(id);
    return run;
  }

  list(filter?: PipelineListFilter): PipelineSnapshot[] {
    const statuses = checkListFilter(filter);
    return [...this.#runs.values()]
      .filter((run) => statuses?.has(run.status) ?? true)
      .map((run) => run.snapshot());
  }

  async cancel(id: string, reason?: string): Promise<boolean> {
    const run = this.require(id);
    if (run.result !== undefined) return false;
    return (await run.cancel(reason ?? 'pipeline cancelled')).status === 'cancelled';
  }

  async wait(id: string, options?: PipelineWaitOptions): Promise<PipelineResult> {
    const run = this.require(id);
    const { timeoutMs, signal } = checkWaitOptions(options);
    if (run.result !== undefined) return run.result;
    signal?.throwIfAborted();
    return new Promise((resolve, reject) => {
      const timer =
        timeoutMs === undefined
          ? undefined
          : setTimeout(() => done(() => reject(new WaitTimeoutError(id, timeoutMs))), timeoutMs);
      const onAbort = () => done(() => reject(signal?.reason));
      let settled = false;
      const done = (finish: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        finish();
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      void run.wait().then((result) => done(() => resolve(result)));
    });
  }
}

/** The spec without each plain step's `requires` (checked later, at submit), and the capabilities by key. */
function splitRequires(spec: unknown): { plain: unknown; requires: Map<string, string> } {
  const requires = new Map<string, string>();
  if (!isPlainObject(spec) || !Array.isArray(spec.steps)) return { plain: spec, requires };
  const steps = spec.steps.map((step: unknown, index: number) => {
    if (!isPlainObject(step) || !isPlainObject(step.request) || !('requires' in step.request)) return step;
    const { requires: capability, ...request } = step.request;
    if (capability !== undefined) {
      const checked = checkCapability(capability, `steps[${index}].request.requires`, 'request');
      if (typeof step.key === 'string') requires.set(step.key, checked);
    }
    return { ...step, request };
  });
  return { plain: { ...spec, steps }, requires };
}
