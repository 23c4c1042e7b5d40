import { stat } from 'node:fs/promises';
import { resolveAwsCli } from '../commands/aws-cli.js';
import { resolveExec } from '../commands/exec.js';
import type { CommandSnapshot, ResolvedCommand } from '../commands/resolved-command.js';
import { resolveScript, withElectronRunAsNode } from '../commands/script.js';
import { resolveShell } from '../commands/shell.js';
import type { ExecutionConfig } from '../config.js';
import { InvalidRequestError } from '../errors.js';
import type {
  AwsCliCommand,
  Command,
  ExecCommand,
  ExecutionRequest,
  ScriptCommand,
  ShellCommand,
} from '../types.js';
import { checkAbortSignal, checkDuration, checkString, isPlainObject } from '../utils/checks.js';
import { describeValue } from '../utils/describe-value.js';
import { isSignalName } from '../utils/signal-name.js';
import { type AdmissionFields, checkAdmissionFields } from './admission-fields.js';
import { checkEnv } from './environment.js';
import { EXECUTION_ID_RULE, isValidExecutionId } from './id-pattern.js';
import { copyMetadata } from './metadata.js';
import { COMMAND_KEYS, checkKeys, REQUEST_KEYS } from './request-keys.js';

/**
 * A validated request, ready to spawn. Every field of the caller's request (and of its command,
 * env, args and metadata) was read exactly once; everything here is built from those values.
 */
export interface NormalizedRequest {
  id: string | undefined;
  /** A plain-data copy of the command as read. */
  command: Command;
  spawn: ResolvedCommand;
  cwd: string | undefined;
  /** `undefined` means "exactly process.env" (no copy made). */
  env: NodeJS.ProcessEnv | undefined;
  input: string | Uint8Array | undefined;
  /** `'pipe'`: stdin stays open for `writeInput`/`closeInput`; `'ignore'` (default): `/dev/null` or `input`. */
  stdin: 'ignore' | 'pipe';
  /** 0: no timeout. */
  timeoutMs: number;
  /** This execution's first signal and its grace before SIGKILL (request, else config). */
  killSignal: NodeJS.Signals;
  killGraceMs: number;
  /** Aborting it cancels the execution. */
  signal: AbortSignal | undefined;
  /** The JSON-safe deep copy of the request's metadata. */
  metadata: Record<string, unknown> | undefined;
  /** Priority, group and queue timeout. */
  admission: AdmissionFields;
  /**
   * The request as read, in plain data (fields absent when the caller left them out, `env` only
   * the request's own variables): what the journal records. Never the caller's object.
   */
  request: ExecutionRequest;
}

async function checkCwd(cwd: unknown): Promise<string | undefined> {
  if (cwd === undefined) return undefined;
  const path = checkString('cwd', cwd, { nonEmpty: true });
  const stats = await stat(path).catch(() => undefined);
  if (stats === undefined || !stats.isDirectory()) {
    throw new InvalidRequestError(
      'cwd',
      `Expected \`cwd\` to be an existing directory, got ${describeValue(path)}`,
    );
  }
  return path;
}

function checkTimeout(timeoutMs: unknown, config: ExecutionConfig): number {
  if (timeoutMs === undefined) return config.defaultTimeoutMs;
  const unlimited = config.maxTimeoutMs === Number.POSITIVE_INFINITY;
  if (typeof timeoutMs !== 'number' || !Number.isSafeInteger(timeoutMs) || timeoutMs < 0) {
    throw new InvalidRequestError(
      'timeoutMs',
      `Expected \`timeoutMs\` to be a non-negative integer, got ${describeValue(timeoutMs)}`,
    );
  }
  if (timeoutMs === 0 && !unlimited) {
    throw new InvalidRequestError(
      'timeoutMs',
      'Expected `timeoutMs` to be positive: 0 (no timeout) needs the engine option `maxTimeoutMs: Infinity`',
    );
  }
  if (timeoutMs > config.maxTimeoutMs) {
    throw new InvalidRequestError(
      'timeoutMs',
      `Expected \`timeoutMs\` to be at most maxTimeoutMs (${config.maxTimeoutMs}), got ${describeValue(timeoutMs)}`,
    );
  }
  return timeoutMs;
}

function checkKill(killSignal: unknown, killGraceMs: unknown, config: ExecutionConfig) {
  if (killSignal !== undefined && !isSignalName(killSignal)) {
    throw new InvalidRequestError(
      'killSignal',
      `Expected \`killSignal\` to be a signal name like 'SIGTERM', got ${describeValue(killSignal)}`,
    );
  }
  return {
    killSignal: (killSignal as NodeJS.Signals | undefined) ?? config.killSignal,
    killGraceMs:
      killGraceMs === undefined ? config.killGraceMs : checkDuration('killGraceMs', killGraceMs, 0),
  };
}

/** The input as read: a string, or a copy of the bytes (later changes by the caller do not show). */
function checkInput(input: unknown): string | Uint8Array | undefined {
  if (input === undefined || typeof input === 'string') return input;
  if (input instanceof Uint8Array) return new Uint8Array(input);
  throw new InvalidRequestError(
    'input',
    `Expected \`input\` to be a string or Uint8Array, got ${describeValue(input)}`,
  );
}

/**
 * The stdin mode: `'ignore'` (the default) or `'pipe'`. A pipe is refused together with `input`
 * (which writes stdin and closes it) and with a journal (a journaled process runs detached under
 * the wrapper, with no pipe to the host that could outlive it).
 */
function checkStdin(
  stdin: unknown,
  input: string | Uint8Array | undefined,
  config: ExecutionConfig,
): 'ignore' | 'pipe' {
  if (stdin === undefined || stdin === 'ignore') return 'ignore';
  if (stdin !== 'pipe') {
    throw new InvalidRequestError(
      'stdin',
      `Expected \`stdin\` to be 'ignore' or 'pipe', got ${describeValue(stdin)}`,
    );
  }
  if (input !== undefined) {
    throw new InvalidRequestError(
      'stdin',
      "`stdin: 'pipe'` cannot be combined with `input`: `input` writes stdin and closes it; use `writeInput`/`closeInput` instead",
    );
  }
  if (config.journal !== undefined) {
    throw new InvalidRequestError(
      'stdin',
      "`stdin: 'pipe'` is not available with a journal: a journaled process runs detached under the journal's wrapper, with no pipe to the host (it may outlive it); use `input` instead",
    );
  }
  return 'pipe';
}

/** Reads `command.type` once and the fields of that kind once each. */
function resolveCommand(
  command: unknown,
  cwd: string | undefined,
): CommandSnapshot | Promise<CommandSnapshot> {
  if (!isPlainObject(command)) {
    throw new InvalidRequestError(
      'command',
      `Expected \`command\` to be an object, got ${describeValue(command)}`,
    );
  }
  const type = command.type;
  const keys = typeof type === 'string' && Object.hasOwn(COMMAND_KEYS, type) ? COMMAND_KEYS[type] : undefined;
  if (keys !== undefined) checkKeys(command, keys, 'command');
  switch (type) {
    case 'shell':
      return resolveShell(command as unknown as ShellCommand);
    case 'exec':
      return resolveExec(command as unknown as ExecCommand);
    case 'script':
      return resolveScript(command as unknown as ScriptCommand, cwd);
    case 'awsCli':
      return resolveAwsCli(command as unknown as AwsCliCommand);
    default:
      throw new InvalidRequestError(
        'command.type',
        `Expected \`command.type\` to be 'shell', 'exec', 'script' or 'awsCli', got ${describeValue(type)}`,
      );
  }
}

/**
 * Validates every field of a request, reading each exactly once, and resolves what will be
 * spawned. The result, including its `request` snapshot, is built only from the values read, so
 * a getter or a later change by the caller cannot make what runs differ from what was validated.
 * @throws InvalidRequestError naming the first invalid field.
 */
export async function normalizeRequest(
  request: unknown,
  config: ExecutionConfig,
): Promise<NormalizedRequest> {
  if (!isPlainObject(request)) {
    throw new InvalidRequestError(
      'request',
      `Expected the request to be an object, got ${describeValue(request)}`,
    );
  }
  checkKeys(request, REQUEST_KEYS);
  const {
    id,
    command,
    cwd,
    env,
    inheritEnv,
    input,
    stdin,
    timeoutMs,
    killSignal,
    killGraceMs,
    signal,
    metadata,
    priority,
    group,
    queueTimeoutMs,
  } = request as unknown as ExecutionRequest;
  if (id !== undefined && !isValidExecutionId(id)) {
    throw new InvalidRequestError(
      'id',
      `Expected \`id\` to be ${EXECUTION_ID_RULE}, got ${describeValue(id)}`,
    );
  }
  const checkedInput = checkInput(input);
  const checkedStdin = checkStdin(stdin, checkedInput, config);
  const checkedMetadata = metadata === undefined ? undefined : copyMetadata(metadata);
  const admission = checkAdmissionFields(priority, group, queueTimeoutMs);
  const normalizedTimeout = checkTimeout(timeoutMs, config);
  const kill = checkKill(killSignal, killGraceMs, config);
  const checkedSignal = signal === undefined ? undefined : checkAbortSignal('signal', signal);
  const checkedEnv = checkEnv(env, inheritEnv);
  const normalizedCwd = await checkCwd(cwd);
  const resolved = await resolveCommand(command, normalizedCwd);
  const snapshot: ExecutionRequest = { command: resolved.command };
  if (id !== undefined) snapshot.id = id;
  if (normalizedCwd !== undefined) snapshot.cwd = normalizedCwd;
  if (checkedEnv.own !== undefined) snapshot.env = checkedEnv.own;
  if (inheritEnv !== undefined) snapshot.inheritEnv = inheritEnv;
  if (checkedInput !== undefined) snapshot.input = checkedInput;
  if (stdin !== undefined) snapshot.stdin = checkedStdin;
  if (timeoutMs !== undefined) snapshot.timeoutMs = normalizedTimeout;
  if (killSignal !== undefined) snapshot.killSignal = kill.killSignal;
  if (killGraceMs !== undefined) snapshot.killGraceMs = kill.killGraceMs;
  if (checkedMetadata !== undefined) snapshot.metadata = checkedMetadata;
  if (admission.priority !== undefined) snapshot.priority = admission.priority;
  if (admission.group !== undefined) snapshot.group = admission.group;
  if (admission.queueTimeoutMs !== undefined) snapshot.queueTimeoutMs = admission.queueTimeoutMs;
  return {
    id,
    command: resolved.command,
    spawn: resolved.spawn,
    cwd: normalizedCwd,
    env: withElectronRunAsNode(resolved.spawn.file, checkedEnv.effective),
    input: checkedInput,
    stdin: checkedStdin,
    timeoutMs: normalizedTimeout,
    ...kill,
    signal: checkedSignal,
    metadata: checkedMetadata,
    admission,
    request: snapshot,
  };
}
