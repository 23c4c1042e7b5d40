import { isValidExecutionId } from '../arguments/id-pattern.js';
import { isExecutionStatus } from '../types.js';
import { type JournalRecord, READABLE_RECORD_VERSIONS } from './journal-types.js';

/** Serialises a record as indented JSON with a final newline, so people can read it too. */
export function encodeRecord(record: JournalRecord): string {
  return `${JSON.stringify(record, null, 2)}\n`;
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const isStringArray = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every((item) => typeof item === 'string');

/** Checks an optional field; returns a reason when present with the wrong type. */
function checkOptional(
  object: Json,
  key: string,
  test: (value: unknown) => boolean,
  what: string,
): string | undefined {
  return key in object && object[key] !== undefined && !test(object[key])
    ? `\`${key}\` is not ${what}`
    : undefined;
}

const isString = (value: unknown) => typeof value === 'string';
const isInteger = (value: unknown) => Number.isSafeInteger(value);
const isNullable =
  (test: (value: unknown) => boolean) =>
  (value: unknown): boolean =>
    value === null || test(value);

/** Why `value` is not a valid record (with id `expectedId` when given), or `undefined` if it is. */
export function recordProblem(value: unknown, expectedId?: string): string | undefined {
  if (!isObject(value)) return 'not a JSON object';
  if (!READABLE_RECORD_VERSIONS.includes(value.version as number)) {
    return `unsupported version ${JSON.stringify(value.version)}`;
  }
  if (!isValidExecutionId(value.id)) return '`id` is missing or invalid';
  if (expectedId !== undefined && value.id !== expectedId)
    return `\`id\` ${value.id} does not match the file name`;
  if (!isExecutionStatus(value.status)) return '`status` is missing or invalid';
  if (!isObject(value.command) || !isString(value.command.file) || !isStringArray(value.command.args)) {
    return '`command` is not { file, args }';
  }
  if (!isObject(value.request) || !isObject(value.request.command)) return '`request.command` is missing';
  if (!isString(value.createdAt)) return '`createdAt` is missing';
  const request = value.request;
  return (
    checkOptional(request, 'cwd', isString, 'a string') ??
    checkOptional(request, 'env', isObject, 'an object') ??
    checkOptional(request, 'inheritEnv', (v) => typeof v === 'boolean', 'a boolean') ??
    checkOptional(request, 'inputBase64', isString, 'a string') ??
    checkOptional(request, 'timeoutMs', isInteger, 'an integer') ??
    checkOptional(request, 'killSignal', isString, 'a string') ??
    checkOptional(request, 'killGraceMs', isInteger, 'an integer') ??
    checkOptional(request, 'metadata', isObject, 'an object') ??
    checkOptional(request, 'schedule', isString, 'a string') ??
    checkOptional(request, 'retry', (v) => isObject(v) && isInteger(v.attempts), '{ attempts, ... }') ??
    checkOptional(value, 'nextAttemptAt', isInteger, 'an integer') ??
    checkOptional(request, 'priority', isInteger, 'an integer') ??
    checkOptional(request, 'group', isValidExecutionId, 'a valid group name') ??
    checkOptional(request, 'queueTimeoutMs', isInteger, 'an integer') ??
    checkOptional(value, 'startedAt', isString, 'a string') ??
    checkOptional(value, 'completedAt', isString, 'a string') ??
    checkOptional(value, 'deadline', isInteger, 'an integer') ??
    checkOptional(value, 'pid', isInteger, 'an integer') ??
    checkOptional(value, 'pgid', isInteger, 'an integer') ??
    checkOptional(value, 'procStartTime', isString, 'a string') ??
    checkOptional(value, 'bootId', isString, 'a string') ??
    checkOptional(value, 'exitCode', isNullable(isInteger), 'an integer or null') ??
    checkOptional(value, 'signal', isNullable(isString), 'a string or null') ??
    checkOptional(
      value,
      'error',
      (v) => isObject(v) && isString(v.code) && isString(v.message),
      '{ code, message }',
    ) ??
    checkOptional(value, 'stdoutLogFile', isString, 'a string') ??
    checkOptional(value, 'stderrLogFile', isString, 'a string') ??
    checkOptional(value, 'progress', isObject, 'an object') ??
    checkOptional(
      value,
      'attempts',
      (v) => Array.isArray(v) && v.every((a) => isObject(a) && isInteger(a.number)),
      'a list of attempts',
    )
  );
}

/** The outcome of {@link decodeRecord}: a record, or the reason there is none. */
export type DecodeResult = { record: JournalRecord } | { reason: string };

/**
 * Parses and validates the text of a record file. Never throws: torn JSON, garbage bytes and
 * wrong shapes come back as a `reason`.
 */
export function decodeRecord(text: string, expectedId?: string): DecodeResult {
  if (text.trim().length === 0) return { reason: 'empty file' };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { reason: `invalid JSON: ${(error as Error).message}` };
  }
  const problem = recordProblem(value, expectedId);
  return problem === undefined ? { record: value as JournalRecord } : { reason: problem };
}
