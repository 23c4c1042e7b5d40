import { resolveAwsCli } from '../commands/aws-cli.js';
import { resolveExec } from '../commands/exec.js';
import type { CommandSnapshot } from '../commands/resolved-command.js';
import { resolveShell } from '../commands/shell.js';
import { InvalidRequestError } from '../errors.js';
import type { AwsCliCommand, ExecCommand, ScriptCommand, ShellCommand } from '../types.js';
import { checkArgs, checkOptionalString, checkString, isPlainObject } from '../utils/checks.js';
import { describeValue } from '../utils/describe-value.js';
import { COMMAND_KEYS, checkKeys } from './request-keys.js';

/**
 * A command checked without the file system: shell, exec and awsCli commands resolved to what will
 * be spawned; a script command's fields only (which program runs it depends on its file: its
 * shebang, read when it is resolved).
 */
export type CheckedCommand = CommandSnapshot | { command: ScriptCommand; spawn: undefined };

/**
 * Reads `command.type` once and the fields of that kind once each, refusing unknown keys.
 * @throws InvalidRequestError naming `command` or the field (`command.args`, …).
 */
export function checkCommand(command: unknown): CheckedCommand {
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
    case 'awsCli':
      return resolveAwsCli(command as unknown as AwsCliCommand);
    case 'script':
      return { command: checkScript(command as unknown as ScriptCommand), spawn: undefined };
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
  if (givenArgs !== undefined) copy.args = [...args];
  return copy;
}
