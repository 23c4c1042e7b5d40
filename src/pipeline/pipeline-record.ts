import { fromJournalRequest, toJournalRequest } from '../journal/journal-request.js';
import type { CheckedSpec, CheckedStep } from './check-spec.js';
import { topologicalOrder } from './dag.js';
import type { KnownStep, PipelineRun } from './pipeline-run.js';
import { succeeded } from './pipeline-snapshot.js';
import type { StoredPipeline, StoredStep } from './pipeline-store.js';

/** The record of a pipeline as it stands: its spec (requests as given) and each step's state. */
export function toStoredPipeline(run: PipelineRun): StoredPipeline {
  const { spec } = run;
  const byKey = new Map(run.steps.map((step) => [step.spec.key, step]));
  const steps = spec.keys.map((key): StoredStep => {
    const step = byKey.get(key)!;
    const { request } = step.spec;
    const stored: StoredStep = {
      key,
      dependsOn: [...step.spec.dependsOn],
      onFailure: step.spec.onFailure,
      request: request.kind === 'plain' ? toJournalRequest(request.request) : null,
      status: step.status,
    };
    if (step.executionId !== undefined) stored.executionId = step.executionId;
    if (step.result !== undefined || step.succeeded !== undefined) stored.succeeded = succeeded(step);
    if (step.error !== undefined) stored.error = step.error;
    const outputs = step.result?.outputs ?? step.outputs;
    if (outputs !== undefined && Object.keys(outputs).length > 0) stored.outputs = { ...outputs };
    return stored;
  });
  const record: StoredPipeline = {
    version: 1,
    id: run.id,
    status: run.status,
    resumable: spec.serializable,
    failFast: spec.failFast,
    createdAt: run.createdAt.toISOString(),
    steps,
  };
  if (spec.metadata !== undefined) record.metadata = spec.metadata;
  if (run.schedule !== undefined) record.schedule = run.schedule;
  if (run.startedAt !== undefined) record.startedAt = run.startedAt.toISOString();
  if (run.completedAt !== undefined) record.completedAt = run.completedAt.toISOString();
  return record;
}

/**
 * The spec and step states of a stored pipeline. A function step cannot be rebuilt: its request
 * is a function that refuses to run (such a pipeline is never resumed, only ended).
 */
export function fromStoredPipeline(stored: StoredPipeline): {
  spec: CheckedSpec;
  known: Map<string, KnownStep>;
} {
  const steps = stored.steps.map((step): CheckedStep => {
    const request = step.request === null ? undefined : fromJournalRequest('', step.request);
    if (request !== undefined) delete request.id;
    return {
      key: step.key,
      dependsOn: [...step.dependsOn],
      onFailure: step.onFailure,
      request:
        request === undefined
          ? {
              kind: 'function',
              build: () => {
                throw new Error(`Step \`${step.key}\` was a function: it cannot be resumed`);
              },
            }
          : { kind: 'plain', request },
    };
  });
  const byKey = new Map(steps.map((step) => [step.key, step]));
  const known = new Map<string, KnownStep>(
    stored.steps.map((step) => [
      step.key,
      {
        status: step.status,
        executionId: step.executionId,
        error: step.error,
        outputs: step.outputs,
        succeeded: step.succeeded,
      },
    ]),
  );
  return {
    spec: {
      id: stored.id,
      steps: topologicalOrder(steps).map((key) => byKey.get(key)!),
      keys: steps.map((step) => step.key),
      failFast: stored.failFast,
      metadata: stored.metadata,
      serializable: stored.resumable,
    },
    known,
  };
}
