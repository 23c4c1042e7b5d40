import { resolveAwsCli } from '../commands/aws-cli.js';
import { resolveExec } from '../commands/exec.js';
import { resolveShell } from '../commands/shell.js';
import type { ExecutionConfig } from '../config.js';
import { InvalidRequestError } from '../errors.js';
import { checkProgress } from '../progress/progress-option.js';
import type { AwsCliCommand, Command, ExecCommand, ExecutionRequest, ScriptCommand } from '../types.js';
import {
  checkAbortSignal,
  checkArgs,
  checkOptionalString,
  checkString,
  isPlainObject,
} from '../utils/checks.js';
import { describeValue } from '../utils/describe-value.js';
import { checkEnv } from './environment.js';
import { EXECUTION_ID_RULE, isValidExecutionId } from './id-pattern.js';
import { copyMetadata } from './metadata.js';
import { checkInput, checkKill, checkStdin, checkTimeout } from './normalize-request.js';
import { COMMAND_KEYS, checkKeys, REQUEST_KEYS } from './request-keys.js';
import { checkRetry } from './retry-options.js';

/**
 * Checks a request at once, without the file system, for callers that cannot wait: every check
 * `normalizeRequest` makes except that `cwd` exists and a script file is readable (those are made
 * when it runs). Returns a copy built from the values read (each field once; `command`, `env`,
 * `input` and `metadata` copied deeply), so later changes to the caller's object do not show.
 * Keys this function does not know but `REQUEST_KEYS` allows are copied as they are.
 * @throws InvalidRequestError naming the first invalid field, like `normalizeRequest`.
 */
export function checkRequestNow(request: unknown, config: ExecutionConfig): ExecutionRequest {
  if (!isPlainObject(request)) {
    throw new InvalidRequestError(
      'request',
      `Expected the request to be an object, got ${describeValue(request)}`,
    );
  }
  checkKeys(request, REQUEST_KEYS);
  const copy: Record<string, unknown> = { ...request };
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
    progress,
    retry,
  } = copy as unknown as ExecutionRequest;
  if (id !== undefined && !isValidExecutionId(id)) {
    throw new InvalidRequestError(
      'id',
      `Expected \`id\` to be ${EXECUTION_ID_RULE}, got ${describeValue(id)}`,
    );
  }
  const checkedInput = checkInput(input);
  checkStdin(stdin, checkedInput, config);
  if (metadata !== undefined) copy.metadata = copyMetadata(metadata);
  checkTimeout(timeoutMs, config);
  checkKill(killSignal, killGraceMs, config);
  if (signal !== undefined) checkAbortSignal('signal', signal);
  checkProgress(progress);
  const checkedRetry = checkRetry(retry, config.journal !== undefined);
  if (checkedRetry !== undefined) copy.retry = checkedRetry.snapshot;
  const checkedEnv = checkEnv(env, inheritEnv);
  if (cwd !== undefined) checkString('cwd', cwd, { nonEmpty: true });
  copy.command = checkCommandNow(command);
  if (checkedInput !== undefined) copy.input = checkedInput;
  if (checkedEnv.own !== undefined) copy.env = checkedEnv.own;
  return copy as unknown as ExecutionRequest;
}

/** Checks a command's keys and fields (a script's file is not looked at); returns a plain copy. */
function checkCommandNow(command: unknown): Command {
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
      return resolveShell(command as unknown as Command & { type: 'shell' }).command;
    case 'exec':
      return resolveExec(command as unknown as ExecCommand).command;
    case 'awsCli':
      return resolveAwsCli(command as unknown as AwsCliCommand).command;
    case 'script':
      return checkScript(command as unknown as ScriptCommand);
    default:
      throw new InvalidRequestError(
        'command.type',
        `Expected \`command.type\` to be 'shell', 'exec', 'script' or 'awsCli', got ${describeValue(type)}`,
      );
  }
}

/** The fields of a script command, read once, as a copy. */
function checkScript(command: ScriptCommand): ScriptCommand {
  const path = checkString('command.path', command.path, { nonEmpty: true });
  const givenArgs = command.args;
  const args = checkArgs('command.args', givenArgs);
  const interpreter = checkOptionalString('command.interpreter', command.interpreter);
  const copy: ScriptCommand = { type: 'script', path };
  if (interpreter !== undefined) copy.interpreter = interpreter;
  if (givenArgs !== undefined) copy.args = args;
  return copy;
}
