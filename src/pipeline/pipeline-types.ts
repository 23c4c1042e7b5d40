import type {
  ExecutionErrorInfo,
  ExecutionMetadata,
  ExecutionRequest,
  ExecutionResult,
  ExecutionStatus,
  WaitOptions,
} from '../types.js';

/** Where a pipeline stands: `running` until every step has ended, then one of the other three. */
export type PipelineStatus = 'running' | 'completed' | 'failed' | 'cancelled';

/** A step's state: `pending` until its execution is submitted, `skipped` if it never will be. */
export type StepStatus = 'pending' | 'skipped' | ExecutionStatus;

/**
 * What a failed step (one whose result is not `success`) does to the rest of the pipeline:
 * `fail` fails the pipeline (pending steps are skipped; with `failFast` running ones are
 * cancelled), `continue` lets its dependents run as if it had succeeded, `skipDependents` skips
 * its dependents, transitively, while independent steps go on.
 */
export type StepFailurePolicy = 'fail' | 'continue' | 'skipDependents';

/** What a step given as a function receives when its dependencies have ended. */
export interface StepContext<Meta extends ExecutionMetadata = ExecutionMetadata> {
  pipelineId: string;
  /** The results of the steps that ended, by key. */
  results: Record<string, ExecutionResult<Meta>>;
  /** Their outputs (`EXECUTION_OUTPUT`), by key: `ctx.outputs.build.version`. */
  outputs: Record<string, Record<string, string>>;
}

/** A step's request built when the step is ready to start, from the steps that ended before it. */
export type StepRequestFactory<Meta extends ExecutionMetadata = ExecutionMetadata> = (
  context: StepContext<Meta>,
) => ExecutionRequest<Meta> | Promise<ExecutionRequest<Meta>>;

/** One step of a pipeline: an execution that starts once its dependencies have ended. */
export interface PipelineStep<Meta extends ExecutionMetadata = ExecutionMetadata> {
  /** Unique in the pipeline; id characters (`[A-Za-z0-9._-]`). The step's execution id is `<pipelineId>.<key>`. */
  key: string;
  /**
   * The execution to run (no `id`: it is `<pipelineId>.<key>`), or a function building it from
   * the results and outputs of the steps that ended. In a plain request, `env` values may hold
   * `${{ steps.<key>.outputs.<name> }}` placeholders naming a dependency's output.
   */
  request: ExecutionRequest<Meta> | StepRequestFactory<Meta>;
  /** Keys of the steps that must end first. @default [] */
  dependsOn?: readonly string[] | undefined;
  /** What this step's failure does to the rest. @default 'fail' */
  onFailure?: StepFailurePolicy | undefined;
}

/**
 * A set of steps with dependencies (a DAG), each step an execution obeying every admission rule.
 * @example
 * ```ts
 * const spec: PipelineSpec = {
 *   id: 'release-42',
 *   steps: [
 *     { key: 'build', request: { command: shell('make build') } },
 *     { key: 'test', request: { command: shell('make test') }, dependsOn: ['build'] },
 *     { key: 'lint', request: { command: shell('make lint') }, dependsOn: ['build'], onFailure: 'continue' },
 *   ],
 * };
 * ```
 */
export interface PipelineSpec<Meta extends ExecutionMetadata = ExecutionMetadata> {
  /** Same rules as an execution id. @default a UUID v7 */
  id?: string | undefined;
  /** At least one. */
  steps: readonly PipelineStep<Meta>[];
  /** A failing `fail` step cancels the running steps (reason `'pipeline failed'`). @default true */
  failFast?: boolean | undefined;
  /** Copied to the pipeline's snapshots; JSON-serialisable, as an execution's metadata. */
  metadata?: Record<string, unknown> | undefined;
}

/** One step as a pipeline snapshot shows it. */
export interface PipelineStepSnapshot {
  key: string;
  status: StepStatus;
  dependsOn: string[];
  onFailure: StepFailurePolicy;
  /** Set once the step's execution is submitted. */
  executionId?: string;
  /**
   * Why the step failed without an execution result to say so: its request function threw or
   * returned an invalid request, or (code `LOST`) a pipeline that could not be resumed after a
   * crash ended it.
   */
  error?: ExecutionErrorInfo;
}

/** How many steps are in each state. */
export interface PipelineSummary {
  total: number;
  pending: number;
  queued: number;
  running: number;
  completed: number;
  failed: number;
  timeout: number;
  cancelled: number;
  skipped: number;
}

/** The aggregated state of a pipeline at one moment, as a dashboard shows it. */
export interface PipelineSnapshot {
  id: string;
  status: PipelineStatus;
  /** In the spec's order. */
  steps: PipelineStepSnapshot[];
  summary: PipelineSummary;
  /** Ended (or skipped) steps / total, from 0 to 1. */
  progress: number;
  createdAt: Date;
  startedAt?: Date;
  completedAt?: Date;
  metadata?: Record<string, unknown>;
  /** The schedule that started the pipeline (`engine.schedule`), if one did. */
  schedule?: string;
  /**
   * The group every step's request names, when they all name the same one (no step is a
   * function): the HTTP API shows the pipeline to that group's principals.
   */
  group?: string;
}

/** A pipeline that has ended. `success`: `completed` and every step succeeded. */
export interface PipelineResult<Meta extends ExecutionMetadata = ExecutionMetadata> extends PipelineSnapshot {
  status: Exclude<PipelineStatus, 'running'>;
  completedAt: Date;
  success: boolean;
  /** The result of every step whose execution ended, by key. */
  results: Record<string, ExecutionResult<Meta>>;
}

/**
 * Emitted on the engine (`engine.on('pipeline', ...)`) at every step state change and once at
 * the end (without `step`, `status` terminal). `seq` counts from 1 per pipeline.
 */
export interface PipelineEvent {
  type: 'pipeline';
  pipelineId: string;
  seq: number;
  timestamp: number;
  status: PipelineStatus;
  step?: { key: string; status: StepStatus };
  summary: PipelineSummary;
}

/** Filter of `listPipelines`. */
export interface PipelineListFilter {
  status?: PipelineStatus | readonly PipelineStatus[] | undefined;
}

/** Options of `waitForPipeline`: as `waitForCompletion`'s. */
export type PipelineWaitOptions = WaitOptions;
