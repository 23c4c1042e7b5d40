import { checkArgs, checkString } from '../arguments/checks.js';
import type { ExecCommand } from '../types.js';
import type { ResolvedCommand } from './resolved-command.js';

/** The program and its arguments, exactly as given: no shell is ever involved. */
export function resolveExec(command: ExecCommand): ResolvedCommand {
  const file = checkString('command.program', command.program, { nonEmpty: true });
  return { file, args: checkArgs('command.args', command.args), verbatim: false };
}
