import { InvalidConfigError } from '../errors.js';
import { isPlainObject } from '../utils/checks.js';
import { describeValue } from '../utils/describe-value.js';
import { EXECUTION_ID_RULE, isValidExecutionId } from './id-pattern.js';

/**
 * Limits of one group of executions (a tenant, a pool), on top of the global ones.
 * @example
 * ```ts
 * new ExecutionEngine({
 *   maxConcurrentExecutions: 8,
 *   groups: { 'tenant-a': { maxConcurrent: 2 }, 'github-api': { minStartIntervalMs: 1000 } },
 *   defaultGroupLimits: { maxConcurrent: 4 },
 * });
 * ```
 */
export interface GroupLimits {
  /**
   * Executions of the group in status `running` at once (the global `maxConcurrentExecutions`
   * still applies). An integer from 1 to 1000000. @default no cap of its own
   */
  maxConcurrent?: number | undefined;
  /** Minimum gap between two process starts of the group (the global pacing still applies). @default 0 */
  minStartIntervalMs?: number | undefined;
}

/** Largest delay a Node timer accepts, as for the global `minStartIntervalMs`. */
const MAX_TIMER_MS = 2_147_483_647;

const LIMITS: Record<keyof GroupLimits, { min: number; max: number }> = {
  maxConcurrent: { min: 1, max: 1_000_000 },
  minStartIntervalMs: { min: 0, max: MAX_TIMER_MS },
};

function fail(key: string, expected: string, value: unknown): never {
  throw new InvalidConfigError(
    key,
    `Expected the \`${key}\` option to be ${expected}, got ${describeValue(value)}`,
  );
}

/**
 * The limits at config key `key` (`defaultGroupLimits`, `groups.<name>`), checked and copied (each
 * value read once, the copy frozen).
 * @throws InvalidConfigError naming the nested key (`groups.tenant-a.maxConcurrent`).
 */
export function checkGroupLimits(key: string, value: unknown): Readonly<GroupLimits> {
  if (!isPlainObject(value)) fail(key, 'an object like `{ maxConcurrent: 2, minStartIntervalMs: 0 }`', value);
  const limits: GroupLimits = {};
  for (const [name, limit] of Object.entries(value)) {
    const field = `${key}.${name}`;
    if (!Object.hasOwn(LIMITS, name)) {
      throw new InvalidConfigError(
        field,
        `Unknown config key \`${field}\`; expected \`maxConcurrent\` or \`minStartIntervalMs\``,
      );
    }
    if (limit === undefined) continue;
    const { min, max } = LIMITS[name as keyof GroupLimits];
    if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < min || limit > max) {
      fail(field, `an integer from ${min} to ${max}`, limit);
    }
    limits[name as keyof GroupLimits] = limit;
  }
  return Object.freeze(limits);
}

/**
 * The `groups` option: group names (the id rule) to their limits, checked and copied.
 * @throws InvalidConfigError naming `groups` or the nested key.
 */
export function checkGroups(value: unknown): Readonly<Record<string, Readonly<GroupLimits>>> {
  if (!isPlainObject(value)) fail('groups', 'an object of group names to limits', value);
  const groups: Record<string, Readonly<GroupLimits>> = {};
  for (const [name, limits] of Object.entries(value)) {
    if (!isValidExecutionId(name)) {
      throw new InvalidConfigError(
        'groups',
        `Expected every group name in the \`groups\` option to be ${EXECUTION_ID_RULE}, got ${describeValue(name)}`,
      );
    }
    groups[name] = checkGroupLimits(`groups.${name}`, limits);
  }
  return Object.freeze(groups);
}
