import { InvalidRequestError } from '../errors.js';
import { checkDuration } from '../utils/checks.js';
import { describeValue } from '../utils/describe-value.js';
import { EXECUTION_ID_RULE, isValidExecutionId } from './id-pattern.js';

/** A request's admission fields, checked: where it waits and for how long. */
export interface AdmissionFields {
  /** `undefined` when the request gave none (it counts as 0). */
  priority: number | undefined;
  group: string | undefined;
  queueTimeoutMs: number | undefined;
}

/**
 * Checks `priority` (an integer), `group` (the id rule) and `queueTimeoutMs` (a non-negative
 * integer of milliseconds), each value read once by the caller.
 * @throws InvalidRequestError naming the field.
 */
export function checkAdmissionFields(
  priority: unknown,
  group: unknown,
  queueTimeoutMs: unknown,
): AdmissionFields {
  if (priority !== undefined && !(typeof priority === 'number' && Number.isSafeInteger(priority))) {
    throw new InvalidRequestError(
      'priority',
      `Expected \`priority\` to be an integer (higher starts first), got ${describeValue(priority)}`,
    );
  }
  if (group !== undefined && !isValidExecutionId(group)) {
    throw new InvalidRequestError(
      'group',
      `Expected \`group\` to be ${EXECUTION_ID_RULE}, got ${describeValue(group)}`,
    );
  }
  if (priority === undefined && group === undefined && queueTimeoutMs === undefined) return NO_ADMISSION;
  return {
    priority,
    group,
    queueTimeoutMs:
      queueTimeoutMs === undefined ? undefined : checkDuration('queueTimeoutMs', queueTimeoutMs, 0),
  };
}

/** A request without any admission field (nearly all): one shared object, not one per execution. */
export const NO_ADMISSION: AdmissionFields = Object.freeze({
  priority: undefined,
  group: undefined,
  queueTimeoutMs: undefined,
});
