import { InvalidConfigError } from '../errors.js';
import { describeValue } from '../utils/describe-value.js';

/** The IPC channel both sides use unless told otherwise. */
export const DEFAULT_CHANNEL = 'execution-engine';

/** Throws `InvalidConfigError` naming `key` unless `value` has every one of `methods`. */
export function checkShape<T>(key: string, value: T, methods: readonly string[], what: string): T {
  const candidate = value as Record<string, unknown> | null;
  if (
    (typeof candidate !== 'object' && typeof candidate !== 'function') ||
    candidate === null ||
    methods.some((method) => typeof candidate[method] !== 'function')
  ) {
    throw new InvalidConfigError(key, `Expected \`${key}\` to be ${what}, got ${describeValue(value)}`);
  }
  return value;
}

/** A non-empty string, or `fallback` when absent. */
export function checkName(key: string, value: unknown, fallback: string): string {
  if (value === undefined) return fallback;
  if (typeof value === 'string' && value.length > 0) return value;
  throw new InvalidConfigError(
    key,
    `Expected \`${key}\` to be a non-empty string, got ${describeValue(value)}`,
  );
}

/** An integer from `min` to 2147483647 (a timer's range), or `fallback` when absent. */
export function checkMilliseconds(key: string, value: unknown, min: number, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= 2_147_483_647) {
    return value;
  }
  const what = min === 0 ? 'a non-negative integer' : 'a positive integer';
  throw new InvalidConfigError(
    key,
    `Expected \`${key}\` to be ${what} (milliseconds), got ${describeValue(value)}`,
  );
}

/** A function, or `undefined` when absent. */
export function checkOptionalFunction<T>(key: string, value: T): T {
  if (value === undefined || typeof value === 'function') return value;
  throw new InvalidConfigError(key, `Expected \`${key}\` to be a function, got ${describeValue(value)}`);
}
