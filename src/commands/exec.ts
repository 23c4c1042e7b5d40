import type { ExecCommand } from '../types.js';
import { checkArgs, checkString } from '../utils/checks.js';
import type { CommandSnapshot } from './resolved-command.js';

/** The program and its arguments, exactly as given: no shell is ever involved. Reads each field once. */
export function resolveExec(command: ExecCommand): CommandSnapshot {
  const file = checkString('command.program', command.program, { nonEmpty: true });
  const given = command.args;
  const args = checkArgs('command.args', given);
  const snapshot: ExecCommand = { type: 'exec', program: file };
  if (given !== undefined) snapshot.args = [...args];
  return { command: snapshot, spawn: { file, args, verbatim: false } };
}
