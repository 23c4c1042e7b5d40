import type { ExecutionErrorInfo, ExecutionResult } from '../types.js';
import { isTerminal } from '../types.js';
import type { CheckedStep } from './check-spec.js';
import type {
  PipelineResult,
  PipelineSnapshot,
  PipelineStatus,
  PipelineStepSnapshot,
  PipelineSummary,
  StepStatus,
} from './pipeline-types.js';

/** One step of a running pipeline. */
export interface StepState {
  readonly spec: CheckedStep;
  status: StepStatus;
  executionId?: string | undefined;
  /** Its execution's result, once it ended. */
  result?: ExecutionResult | undefined;
  /** Outputs known without a result (a step a previous host ran whose execution is gone). */
  outputs?: Record<string, string> | undefined;
  /** Whether it succeeded, known without a result (a step a previous host ran whose execution is gone). */
  succeeded?: boolean | undefined;
  /** Why it failed without a result (its request function threw, say). */
  error?: ExecutionErrorInfo | undefined;
  /** Dependencies that have not ended yet. */
  waitingOn: number;
  /** Its request is being built or submitted. */
  launching: boolean;
}

/** What a snapshot is built from. */
export interface SnapshotSource {
  readonly id: string;
  readonly spec: { readonly keys: readonly string[]; readonly metadata: Record<string, unknown> | undefined };
  readonly steps: readonly StepState[];
  readonly createdAt: Date;
  readonly startedAt: Date | undefined;
  readonly completedAt: Date | undefined;
  readonly schedule: string | undefined;
}

/** True once a step will change no more: its execution ended, or it was skipped. */
export function isEnded(step: { status: StepStatus }): boolean {
  return step.status === 'skipped' || (step.status !== 'pending' && isTerminal(step.status));
}

/** True for a step whose execution succeeded. */
export function succeeded(step: StepState): boolean {
  return step.result?.success ?? step.succeeded === true;
}

/** Every step pending. */
export function emptySummary(total: number): PipelineSummary {
  return {
    total,
    pending: total,
    queued: 0,
    running: 0,
    completed: 0,
    failed: 0,
    timeout: 0,
    cancelled: 0,
    skipped: 0,
  };
}

/** The aggregated view: steps in the spec's order, counts, progress (ended steps / total). */
export function buildSnapshot(
  source: SnapshotSource,
  status: PipelineStatus,
  summary: PipelineSummary,
): PipelineSnapshot {
  const byKey = new Map(source.steps.map((step) => [step.spec.key, step]));
  const steps = source.spec.keys.map((key) => stepSnapshot(byKey.get(key)!));
  const ended = summary.completed + summary.failed + summary.timeout + summary.cancelled + summary.skipped;
  const snapshot: PipelineSnapshot = {
    id: source.id,
    status,
    steps,
    summary,
    progress: summary.total === 0 ? 1 : ended / summary.total,
    createdAt: source.createdAt,
  };
  if (source.startedAt !== undefined) snapshot.startedAt = source.startedAt;
  if (source.completedAt !== undefined) snapshot.completedAt = source.completedAt;
  if (source.spec.metadata !== undefined) snapshot.metadata = source.spec.metadata;
  if (source.schedule !== undefined) snapshot.schedule = source.schedule;
  const group = commonGroup(source.steps.map((step) => step.spec.request));
  if (group !== undefined) snapshot.group = group;
  return snapshot;
}

/** The group every request names, if they all name the same one (a function step has none). */
export function commonGroup(
  requests: readonly ({ kind: 'function' } | { kind: 'plain'; request: { group?: string | undefined } })[],
): string | undefined {
  let group: string | undefined;
  for (const request of requests) {
    const own = request.kind === 'plain' ? request.request.group : undefined;
    if (own === undefined || (group !== undefined && own !== group)) return undefined;
    group = own;
  }
  return group;
}

function stepSnapshot(step: StepState): PipelineStepSnapshot {
  const out: PipelineStepSnapshot = {
    key: step.spec.key,
    status: step.status,
    dependsOn: [...step.spec.dependsOn],
    onFailure: step.spec.onFailure,
  };
  if (step.executionId !== undefined) out.executionId = step.executionId;
  if (step.error !== undefined) out.error = step.error;
  return out;
}

/** The result of an ended pipeline: its snapshot, `success`, and every step's result by key. */
export function buildResult(
  source: SnapshotSource,
  status: Exclude<PipelineStatus, 'running'>,
  summary: PipelineSummary,
): PipelineResult {
  const snapshot = buildSnapshot(source, status, summary) as PipelineResult;
  const results: Record<string, ExecutionResult> = {};
  let allSucceeded = true;
  for (const step of source.steps) {
    if (step.result !== undefined) results[step.spec.key] = step.result;
    if (!succeeded(step)) allSucceeded = false;
  }
  snapshot.success = status === 'completed' && allSucceeded;
  snapshot.results = results;
  return snapshot;
}
