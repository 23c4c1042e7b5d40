import { checkRequestNow } from '../arguments/check-request.js';
import type { ExecutionConfig } from '../config.js';
import { InvalidRequestError } from '../errors.js';
import { checkPipelineSpec } from '../pipeline/check-spec.js';
import type { PipelineSpec } from '../pipeline/pipeline-types.js';
import type { ExecutionRequest } from '../types.js';

/** One run of a schedule, once started: its id, and a promise that settles when it has ended. */
export interface StartedRun {
  id: string;
  ended: Promise<unknown>;
}

/**
 * What a schedule can start: one kind per target type (an execution request today; a pipeline
 * spec plugs in as another kind). `check` validates the target at `schedule()` time, without
 * waiting, and returns the copy that every run uses; `start` starts one run of it.
 */
export interface TargetKind<Target = unknown> {
  check(target: unknown): Target;
  start(target: Target, schedule: string): Promise<StartedRun>;
}

/** What the engine lends the execution kind. */
export interface ExecutionStarter {
  config: ExecutionConfig;
  /** `execute()` for a schedule's run: the execution carries `schedule`. */
  submit(request: ExecutionRequest, schedule: string): Promise<string>;
  /** Settles once execution `id` has ended. */
  wait(id: string): Promise<unknown>;
}

/**
 * Scheduled executions. The target is checked as `execute()` checks a request (unknown keys,
 * types, ranges; that `cwd` exists and a script is readable is checked at each run). `id` and
 * `signal` are refused: every run is a new execution with its own id, and a schedule is stopped
 * with `stop()`/`unschedule()`, a run cancelled with `cancel(id)`.
 */
export function executionTarget(starter: ExecutionStarter): TargetKind<ExecutionRequest> {
  return {
    check(target) {
      const request = checkRequestNow(target, starter.config);
      if (request.id !== undefined) {
        throw new InvalidRequestError(
          'id',
          `Expected no \`id\` in a scheduled request: every run is a new execution with an id of its own (its snapshot carries \`schedule\`), got ${JSON.stringify(request.id)}`,
        );
      }
      if (request.signal !== undefined) {
        throw new InvalidRequestError(
          'signal',
          'Expected no `signal` in a scheduled request: stop the schedule with `stop()` or `unschedule(name)`, cancel a run with `cancel(id)`',
        );
      }
      return request;
    },
    async start(request, schedule) {
      const id = await starter.submit(request, schedule);
      return { id, ended: starter.wait(id) };
    },
  };
}

/** What the engine lends the pipeline kind. */
export interface PipelineStarter {
  config: ExecutionConfig;
  /** `startPipeline()` for a schedule's run: the pipeline carries `schedule`. */
  start(spec: PipelineSpec, schedule: string): Promise<string>;
  /** Settles once pipeline `id` has ended. */
  wait(id: string): Promise<unknown>;
}

/**
 * Scheduled pipelines. The spec is checked as `startPipeline()` checks it (steps, dependencies,
 * cycles, placeholders, each plain request); `id` is refused: every run is a new pipeline with an
 * id of its own (its snapshot carries `schedule`).
 */
export function pipelineTarget(starter: PipelineStarter): TargetKind<PipelineSpec> {
  return {
    check(target) {
      const checked = checkPipelineSpec(target, starter.config);
      if (checked.id !== undefined) {
        throw new InvalidRequestError(
          'id',
          `Expected no \`id\` in a scheduled pipeline: every run is a new pipeline with an id of its own (its snapshot carries \`schedule\`), got ${JSON.stringify(checked.id)}`,
        );
      }
      const spec = target as PipelineSpec;
      return { ...spec, steps: spec.steps.map((step) => ({ ...step })) };
    },
    async start(spec, schedule) {
      const id = await starter.start(spec, schedule);
      return { id, ended: starter.wait(id) };
    },
  };
}

/** True for a target that is a pipeline spec (it has `steps`) rather than a request. */
export function isPipelineTarget(target: unknown): boolean {
  return typeof target === 'object' && target !== null && 'steps' in target && !('command' in target);
}
