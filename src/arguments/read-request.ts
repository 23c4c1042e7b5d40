import type { ExecutionConfig } from '../config.js';
import { InvalidRequestError } from '../errors.js';
import { checkProgress } from '../progress/progress-option.js';
import type { ProgressParser } from '../progress/progress-types.js';
import type { ExecutionRequest } from '../types.js';
import { checkAbortSignal, checkString, isPlainObject } from '../utils/checks.js';
import { describeValue } from '../utils/describe-value.js';
import { type AdmissionFields, checkAdmissionFields } from './admission-fields.js';
import { type CheckedCommand, checkCommand } from './command-fields.js';
import { type CheckedEnv, checkEnv } from './environment.js';
import { EXECUTION_ID_RULE, isValidExecutionId } from './id-pattern.js';
import { copyMetadata } from './metadata.js';
import { checkInput, checkKill, checkStdin, checkTimeout } from './request-fields.js';
import { checkKeys, REQUEST_KEYS } from './request-keys.js';
import { type CheckedRetry, checkRetry } from './retry-options.js';

/** A request with every field checked, read once each; nothing looked up on the file system yet. */
export interface ReadRequest {
  id: string | undefined;
  command: CheckedCommand;
  /** As given (a non-empty string); whether it is a directory is checked when it runs. */
  cwd: string | undefined;
  env: CheckedEnv;
  input: string | Uint8Array | undefined;
  stdin: 'ignore' | 'pipe';
  /** 0: no timeout. */
  timeoutMs: number;
  killSignal: NodeJS.Signals;
  killGraceMs: number;
  signal: AbortSignal | undefined;
  metadata: Record<string, unknown> | undefined;
  /** The given `progress` (a preset name or a function) and the parser it stands for. */
  progress: { given: ExecutionRequest['progress']; parser: ProgressParser | undefined };
  retry: CheckedRetry | undefined;
  admission: AdmissionFields;
  /**
   * The request as read, in plain data (fields absent when the caller left them out, `env` only
   * the request's own variables, no `signal`, a `progress` function left out): what the journal
   * records. Never the caller's object.
   */
  request: ExecutionRequest;
}

/**
 * Checks every field of a request, reading each exactly once, without the file system (the
 * synchronous part of `normalizeRequest`, and all `engine.schedule` can check of its target at
 * once). What it returns is built only from the values read, so a getter or a later change by the
 * caller cannot make what runs differ from what was checked.
 * @throws InvalidRequestError naming the first invalid field.
 */
export function readRequest(request: unknown, config: ExecutionConfig): ReadRequest {
  if (!isPlainObject(request)) {
    throw new InvalidRequestError(
      'request',
      `Expected the request to be an object, got ${describeValue(request)}`,
    );
  }
  checkKeys(request, REQUEST_KEYS);
  const given = request as unknown as ExecutionRequest;
  const { id, command, cwd, env, inheritEnv, input, stdin, timeoutMs, killSignal, killGraceMs } = given;
  const { signal, metadata, progress, retry, priority, group, queueTimeoutMs } = given;
  if (id !== undefined && !isValidExecutionId(id)) {
    throw new InvalidRequestError(
      'id',
      `Expected \`id\` to be ${EXECUTION_ID_RULE}, got ${describeValue(id)}`,
    );
  }
  // In the order the fields have always been checked: the first invalid one is reported.
  const checkedInput = checkInput(input);
  const checkedStdin = checkStdin(stdin, checkedInput, config);
  const checkedMetadata = metadata === undefined ? undefined : copyMetadata(metadata);
  const admission = checkAdmissionFields(priority, group, queueTimeoutMs);
  const checkedTimeout = checkTimeout(timeoutMs, config);
  const kill = checkKill(killSignal, killGraceMs, config);
  const checkedSignal = signal === undefined ? undefined : checkAbortSignal('signal', signal);
  const checkedEnv = checkEnv(env, inheritEnv);
  const parser = checkProgress(progress);
  const checkedRetry = checkRetry(retry, config.journal !== undefined);
  const checkedCwd = cwd === undefined ? undefined : checkString('cwd', cwd, { nonEmpty: true });
  const read: Omit<ReadRequest, 'request'> = {
    id,
    command: checkCommand(command),
    cwd: checkedCwd,
    env: checkedEnv,
    input: checkedInput,
    stdin: checkedStdin,
    timeoutMs: checkedTimeout,
    ...kill,
    signal: checkedSignal,
    metadata: checkedMetadata,
    progress: { given: progress, parser },
    retry: checkedRetry,
    admission,
  };
  const snapshot = snapshotOf(read, {
    inheritEnv,
    stdin: stdin !== undefined,
    timeoutMs: timeoutMs !== undefined,
    killSignal: killSignal !== undefined,
    killGraceMs: killGraceMs !== undefined,
  });
  return { ...read, request: snapshot };
}

/** The plain-data request; `given` says which optional fields the caller set. */
function snapshotOf(
  read: Omit<ReadRequest, 'request'>,
  given: {
    inheritEnv: boolean | undefined;
    stdin: boolean;
    timeoutMs: boolean;
    killSignal: boolean;
    killGraceMs: boolean;
  },
): ExecutionRequest {
  const snapshot: ExecutionRequest = { command: read.command.command };
  if (read.id !== undefined) snapshot.id = read.id;
  if (read.cwd !== undefined) snapshot.cwd = read.cwd;
  if (read.env.own !== undefined) snapshot.env = read.env.own;
  if (given.inheritEnv !== undefined) snapshot.inheritEnv = given.inheritEnv;
  if (read.input !== undefined) snapshot.input = read.input;
  if (given.stdin) snapshot.stdin = read.stdin;
  if (given.timeoutMs) snapshot.timeoutMs = read.timeoutMs;
  if (given.killSignal) snapshot.killSignal = read.killSignal;
  if (given.killGraceMs) snapshot.killGraceMs = read.killGraceMs;
  if (read.metadata !== undefined) snapshot.metadata = read.metadata;
  // A preset name is plain data; a function is not kept in the snapshot.
  if (typeof read.progress.given === 'string') snapshot.progress = read.progress.given;
  if (read.retry !== undefined) snapshot.retry = read.retry.snapshot;
  const { priority, group, queueTimeoutMs } = read.admission;
  if (priority !== undefined) snapshot.priority = priority;
  if (group !== undefined) snapshot.group = group;
  if (queueTimeoutMs !== undefined) snapshot.queueTimeoutMs = queueTimeoutMs;
  return snapshot;
}
