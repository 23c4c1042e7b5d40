import { isPlainObject } from '../utils/checks.js';
import { describeValue } from '../utils/describe-value.js';
import { ProtocolError, RPC_CODES } from './json-rpc.js';

/** A request's `params`: an object (absent means `{}`). */
export type Params = Record<string, unknown>;

/** `-32602` naming `field`, message in the engine's pattern. */
export function invalidParam(field: string, expected: string, value: unknown): ProtocolError {
  const message = `Expected \`${field}\` to be ${expected}, got ${describeValue(value)}`;
  return new ProtocolError(RPC_CODES.INVALID_PARAMS, { code: 'INVALID_REQUEST', message, field });
}

/** The `params` member: an object, or absent. @throws ProtocolError for anything else (an array too). */
export function readParams(params: unknown): Params {
  if (params === undefined) return {};
  if (isPlainObject(params)) return params;
  throw invalidParam('params', 'an object', params);
}

/** A required string parameter. */
export function stringParam(params: Params, field: string): string {
  const value = params[field];
  if (typeof value !== 'string') throw invalidParam(field, 'a string', value);
  return value;
}

/** An optional string parameter. */
export function optionalString(params: Params, field: string): string | undefined {
  const value = params[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw invalidParam(field, 'a string', value);
  return value;
}

/** An optional non-negative integer parameter, at most `max`. */
export function optionalCount(
  params: Params,
  field: string,
  max = Number.MAX_SAFE_INTEGER,
): number | undefined {
  const value = params[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0 || value > max) {
    throw invalidParam(field, `an integer from 0 to ${max}`, value);
  }
  return value;
}

/** An optional object parameter (a filter). */
export function optionalObject(params: Params, field: string): Params | undefined {
  const value = params[field];
  if (value === undefined || value === null) return undefined;
  if (!isPlainObject(value)) throw invalidParam(field, 'an object', value);
  return value;
}

/** A required object parameter (a request, a spec). */
export function objectParam(params: Params, field: string): Params {
  const value = optionalObject(params, field);
  if (value === undefined) throw invalidParam(field, 'an object', params[field]);
  return value;
}

/** `lines`: `'each'` (default) or `'batched'`. */
export function linesParam(params: Params): 'each' | 'batched' {
  const value = params.lines;
  if (value === undefined || value === null || value === 'each') return 'each';
  if (value === 'batched') return 'batched';
  throw invalidParam('lines', "'each' or 'batched'", value);
}

/** `window`: events the client may hold unacknowledged (at least 1), or absent for no limit. */
export function windowParam(params: Params): number | undefined {
  const value = optionalCount(params, 'window');
  if (value === 0) throw invalidParam('window', 'a positive integer', value);
  return value;
}
