import { InvalidRequestError } from '../errors.js';
import { describeValue } from '../utils/describe-value.js';

/** Deepest nesting of objects and arrays accepted in `metadata` (the top-level object is 1). */
export const MAX_METADATA_DEPTH = 100;

/** Thrown inside the copy; turned into an `InvalidRequestError` naming `metadata`. */
class Unserialisable extends Error {}

/** `metadata.a[0].b`, for error messages. */
function pathOf(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `${parent}.${key}` : `${parent}[${JSON.stringify(key)}]`;
}

function fail(path: string, what: string): never {
  throw new Unserialisable(`\`${path}\` is ${what}`);
}

/** A plain `{}`-like object (prototype `Object.prototype` or `null`), not an array or class instance. */
function isPlainRecord(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return !Array.isArray(value) && (proto === Object.prototype || proto === null);
}

/**
 * Copies one value, reading each property once. `open` holds the objects on the current path, to
 * tell a cycle from an object that is merely shared (which is copied each time it appears).
 */
function copyValue(value: unknown, path: string, depth: number, open: Set<object>): unknown {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return Number.isFinite(value) ? value : fail(path, `${value} (JSON has no such number)`);
    case 'bigint':
      return fail(path, 'a BigInt');
    case 'function':
      return fail(path, 'a function');
    case 'symbol':
      return fail(path, 'a symbol');
    case 'undefined':
      return fail(path, 'undefined inside an array');
  }
  if (value === null) return null;
  const object = value as object;
  if (open.has(object)) fail(path, 'a circular reference');
  if (depth > MAX_METADATA_DEPTH) fail(path, `nested deeper than ${MAX_METADATA_DEPTH} levels`);
  open.add(object);
  try {
    return Array.isArray(object)
      ? copyArray(object, path, depth, open)
      : copyRecord(object, path, depth, open);
  } finally {
    open.delete(object);
  }
}

function copyArray(array: unknown[], path: string, depth: number, open: Set<object>): unknown[] {
  if (Object.getPrototypeOf(array) !== Array.prototype) fail(path, 'an array subclass');
  const length = array.length;
  const copy: unknown[] = new Array(length);
  for (let i = 0; i < length; i++) {
    if (!Object.hasOwn(array, i)) fail(pathOf(path, i), 'a hole in an array');
    copy[i] = copyValue(array[i], pathOf(path, i), depth + 1, open);
  }
  return copy;
}

function copyRecord(object: object, path: string, depth: number, open: Set<object>): Record<string, unknown> {
  if (!isPlainRecord(object)) {
    const name = (Object.getPrototypeOf(object) as { constructor?: { name?: unknown } }).constructor?.name;
    fail(
      path,
      `a ${typeof name === 'string' && name !== '' ? name : 'non-plain object'} (not a plain object)`,
    );
  }
  if (
    Object.getOwnPropertySymbols(object).some((key) =>
      Object.prototype.propertyIsEnumerable.call(object, key),
    )
  ) {
    fail(path, 'an object with a symbol key');
  }
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(object)) {
    const child = (object as Record<string, unknown>)[key];
    if (child === undefined) continue; // as JSON.stringify does
    // defineProperty: an own `__proto__` key stays data instead of setting the prototype.
    Object.defineProperty(copy, key, {
      value: copyValue(child, pathOf(path, key), depth + 1, open),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return copy;
}

/**
 * Validates that `metadata` is JSON-serialisable and returns its JSON form as a deep copy, reading
 * every property once. Accepted: plain objects (string keys) and arrays nesting at most
 * {@link MAX_METADATA_DEPTH} levels without cycles, strings, finite numbers, booleans and `null`.
 * Object properties whose value is `undefined` are left out, as `JSON.stringify` does. Anything
 * else (BigInt, functions, symbols, NaN/Infinity, `undefined` or holes in arrays, class instances
 * such as Date, Map or typed arrays, circular references) is rejected rather than silently changed.
 * @throws InvalidRequestError naming `metadata`.
 */
export function copyMetadata(metadata: unknown): Record<string, unknown> {
  if (typeof metadata !== 'object' || metadata === null || !isPlainRecord(metadata)) {
    throw new InvalidRequestError(
      'metadata',
      `Expected \`metadata\` to be a plain object, got ${describeValue(metadata)}`,
    );
  }
  try {
    return copyValue(metadata, 'metadata', 1, new Set()) as Record<string, unknown>;
  } catch (error) {
    if (!(error instanceof Unserialisable)) throw error;
    throw new InvalidRequestError(
      'metadata',
      `Expected \`metadata\` to be a JSON-serialisable plain object, but ${error.message}`,
    );
  }
}
