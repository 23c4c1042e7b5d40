import { checkRequestNow } from '../arguments/check-request.js';
import { EXECUTION_ID_RULE, isValidExecutionId } from '../arguments/id-pattern.js';
import { copyMetadata } from '../arguments/metadata.js';
import { checkKeys } from '../arguments/request-keys.js';
import type { ExecutionConfig } from '../config.js';
import { InvalidRequestError } from '../errors.js';
import type { ExecutionRequest } from '../types.js';
import { isPlainObject } from '../utils/checks.js';
import { describeValue } from '../utils/describe-value.js';
import { findCycle, topologicalOrder } from './dag.js';
import type { StepFailurePolicy, StepRequestFactory } from './pipeline-types.js';
import { placeholdersIn } from './placeholders.js';

const SPEC_KEYS: ReadonlySet<string> = new Set(['id', 'steps', 'failFast', 'metadata']);
const STEP_KEYS: ReadonlySet<string> = new Set(['key', 'request', 'dependsOn', 'onFailure']);
const POLICIES: readonly StepFailurePolicy[] = ['fail', 'continue', 'skipDependents'];

/** A step's request: checked plain data, or a function called when the step is ready. */
export type StepRequest =
  | { kind: 'plain'; request: ExecutionRequest }
  | { kind: 'function'; build: StepRequestFactory };

/** A checked step. */
export interface CheckedStep {
  key: string;
  dependsOn: string[];
  onFailure: StepFailurePolicy;
  request: StepRequest;
}

/** A checked pipeline spec: steps in dependency order (each after its dependencies). */
export interface CheckedSpec {
  id: string | undefined;
  steps: CheckedStep[];
  /** The keys in the spec's order. */
  keys: string[];
  failFast: boolean;
  metadata: Record<string, unknown> | undefined;
  /** Every step is a plain request: the pipeline can be journaled and resumed. */
  serializable: boolean;
}

/**
 * Checks a pipeline spec completely before anything is registered: the spec's keys and types,
 * each step's key (unique, id characters), dependencies (known steps, no cycle: the message names
 * it), failure policy and request (as `execute()` checks one, without the file system; no `id`),
 * and every `${{ steps.<key>.outputs.<name> }}` placeholder in `env` values (it must name one of
 * the step's dependencies).
 * @throws InvalidRequestError naming the field (`steps[2].dependsOn`, `steps[0].request.timeoutMs`).
 */
export function checkPipelineSpec(spec: unknown, config: ExecutionConfig): CheckedSpec {
  if (!isPlainObject(spec)) {
    throw new InvalidRequestError(
      'spec',
      `Expected the pipeline spec to be an object, got ${describeValue(spec)}`,
    );
  }
  checkKeys(spec, SPEC_KEYS);
  const { id, steps, failFast, metadata } = spec;
  if (id !== undefined && !isValidExecutionId(id)) {
    throw new InvalidRequestError(
      'id',
      `Expected \`id\` to be ${EXECUTION_ID_RULE}, got ${describeValue(id)}`,
    );
  }
  if (failFast !== undefined && typeof failFast !== 'boolean') {
    throw new InvalidRequestError(
      'failFast',
      `Expected \`failFast\` to be a boolean, got ${describeValue(failFast)}`,
    );
  }
  if (!Array.isArray(steps) || steps.length === 0) {
    throw new InvalidRequestError(
      'steps',
      `Expected \`steps\` to be a non-empty array, got ${describeValue(steps)}`,
    );
  }
  const checked = (steps as unknown[]).map((step, index) => readStep(step, index));
  const indexOf = new Map<string, number>();
  checked.forEach((step, index) => {
    const earlier = indexOf.get(step.key);
    if (earlier !== undefined) {
      throw new InvalidRequestError(
        `steps[${index}].key`,
        `Expected step keys to be unique, got \`${step.key}\` at steps[${earlier}] and steps[${index}]`,
      );
    }
    indexOf.set(step.key, index);
  });
  checked.forEach((step, index) => {
    for (const dep of step.dependsOn) {
      if (!indexOf.has(dep)) {
        throw new InvalidRequestError(
          `steps[${index}].dependsOn`,
          `Expected \`steps[${index}].dependsOn\` to name steps of the pipeline, got unknown step \`${dep}\``,
        );
      }
    }
  });
  const cycle = findCycle(checked);
  if (cycle !== undefined) {
    throw new InvalidRequestError('steps', `Expected the steps to form no cycle, got ${cycle.join(' → ')}`);
  }
  checked.forEach((step, index) => {
    if (step.request.kind === 'plain') step.request.request = checkStepRequest(step, index, config);
  });
  const order = topologicalOrder(checked);
  const byKey = new Map(checked.map((step) => [step.key, step]));
  return {
    id,
    steps: order.map((key) => byKey.get(key)!),
    keys: checked.map((step) => step.key),
    failFast: failFast ?? true,
    metadata: metadata === undefined ? undefined : copyMetadata(metadata),
    serializable: checked.every((step) => step.request.kind === 'plain'),
  };
}

/** A step's own fields; its request is checked once the graph is known to be sound. */
function readStep(step: unknown, index: number): CheckedStep {
  const field = `steps[${index}]`;
  if (!isPlainObject(step)) {
    throw new InvalidRequestError(
      field,
      `Expected \`${field}\` to be a step object, got ${describeValue(step)}`,
    );
  }
  checkKeys(step, STEP_KEYS, field);
  const { key, request, dependsOn, onFailure } = step;
  if (!isValidExecutionId(key)) {
    throw new InvalidRequestError(
      `${field}.key`,
      `Expected \`${field}.key\` to be ${EXECUTION_ID_RULE}, got ${describeValue(key)}`,
    );
  }
  if (
    dependsOn !== undefined &&
    (!Array.isArray(dependsOn) || dependsOn.some((d) => typeof d !== 'string'))
  ) {
    throw new InvalidRequestError(
      `${field}.dependsOn`,
      `Expected \`${field}.dependsOn\` to be an array of step keys, got ${describeValue(dependsOn)}`,
    );
  }
  if (onFailure !== undefined && !POLICIES.includes(onFailure as StepFailurePolicy)) {
    throw new InvalidRequestError(
      `${field}.onFailure`,
      `Expected \`${field}.onFailure\` to be 'fail', 'continue' or 'skipDependents', got ${describeValue(onFailure)}`,
    );
  }
  let checkedRequest: StepRequest;
  if (typeof request === 'function')
    checkedRequest = { kind: 'function', build: request as StepRequestFactory };
  else if (isPlainObject(request))
    checkedRequest = { kind: 'plain', request: request as unknown as ExecutionRequest };
  else {
    throw new InvalidRequestError(
      `${field}.request`,
      `Expected \`${field}.request\` to be a request object or a function returning one, got ${describeValue(request)}`,
    );
  }
  return {
    key,
    dependsOn: [...new Set(dependsOn as string[] | undefined)],
    onFailure: (onFailure as StepFailurePolicy | undefined) ?? 'fail',
    request: checkedRequest,
  };
}

/** A plain step's request, checked as `execute()` would (field names prefixed), with its placeholders. */
function checkStepRequest(step: CheckedStep, index: number, config: ExecutionConfig): ExecutionRequest {
  const prefix = `steps[${index}].request`;
  let request: ExecutionRequest;
  try {
    request = checkRequestNow((step.request as { request: unknown }).request, config);
  } catch (error) {
    if (!(error instanceof InvalidRequestError)) throw error;
    throw new InvalidRequestError(`${prefix}.${error.field}`, `Step \`${step.key}\`: ${error.message}`, {
      cause: error,
    });
  }
  if (request.id !== undefined) {
    throw new InvalidRequestError(
      `${prefix}.id`,
      `Expected no \`id\` in step \`${step.key}\`'s request: its execution id is \`<pipelineId>.${step.key}\`, got ${describeValue(request.id)}`,
    );
  }
  for (const [name, value] of Object.entries(request.env ?? {})) {
    const field = `${prefix}.env.${name}`;
    for (const { step: named } of placeholdersIn(field, value)) {
      if (!step.dependsOn.includes(named)) {
        throw new InvalidRequestError(
          field,
          `Expected the placeholder in \`${field}\` to name a dependency of step \`${step.key}\` (${step.dependsOn.map((d) => `\`${d}\``).join(', ') || 'it has none'}), got \`${named}\``,
        );
      }
    }
  }
  return request;
}
