import { InvalidRequestError } from '../errors.js';
import { describeValue } from '../utils/describe-value.js';

/** Throws `InvalidRequestError` for `field` unless `value` is a string without NUL bytes (and non-empty when asked). */
export function checkString(field: string, value: unknown, options: { nonEmpty?: boolean } = {}): string {
  if (typeof value !== 'string') {
    throw new InvalidRequestError(field, `Expected \`${field}\` to be a string, got ${describeValue(value)}`);
  }
  if (options.nonEmpty === true && value.length === 0) {
    throw new InvalidRequestError(
      field,
      `Expected \`${field}\` to be a non-empty string, got \`""\` (string)`,
    );
  }
  if (value.includes('\0')) {
    throw new InvalidRequestError(
      field,
      `Expected \`${field}\` to contain no NUL byte, got ${describeValue(value)}`,
    );
  }
  return value;
}

/** Same as {@link checkString} for `undefined`-able values. */
export function checkOptionalString(field: string, value: unknown): string | undefined {
  return value === undefined ? undefined : checkString(field, value, { nonEmpty: true });
}

/** Throws unless `value` is absent or an array of strings without NUL bytes; returns a copy, reading each element once. */
export function checkArgs(field: string, value: unknown): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    throw new InvalidRequestError(
      field,
      `Expected \`${field}\` to be an array of strings, got ${describeValue(value)}`,
    );
  }
  const length = value.length; // read once: the copy is what runs
  const args: string[] = new Array(length);
  for (let i = 0; i < length; i++) args[i] = checkString(`${field}[${i}]`, value[i]);
  return args;
}

/** True for `{}`-like objects (not arrays, not null, not class instances such as Date). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** A duration in ms: an integer from `min` to `Number.MAX_SAFE_INTEGER` (timers longer than ~24.8 days are chained). */
export function checkDuration(field: string, value: unknown, min: number): number {
  if (
    typeof value === 'number' &&
    Number.isInteger(value) &&
    value >= min &&
    value <= Number.MAX_SAFE_INTEGER
  ) {
    return value;
  }
  const what = min === 0 ? 'a non-negative integer' : 'a positive integer';
  throw new InvalidRequestError(
    field,
    `Expected \`${field}\` to be ${what} (milliseconds, at most Number.MAX_SAFE_INTEGER), got ${describeValue(value)}`,
  );
}

/** Throws `InvalidRequestError` for `field` unless `value` is an `AbortSignal` (or behaves as one). */
export function checkAbortSignal(field: string, value: unknown): AbortSignal {
  const candidate = value as Partial<AbortSignal> | null;
  if (
    typeof candidate !== 'object' ||
    candidate === null ||
    typeof candidate.aborted !== 'boolean' ||
    typeof candidate.addEventListener !== 'function' ||
    typeof candidate.removeEventListener !== 'function'
  ) {
    throw new InvalidRequestError(
      field,
      `Expected \`${field}\` to be an AbortSignal, got ${describeValue(value)}`,
    );
  }
  return value as AbortSignal;
}
