import { checkOptionalString, checkString } from '../arguments/checks.js';
import type { ShellCommand } from '../types.js';
import type { ResolvedCommand } from './resolved-command.js';

const isWindows = process.platform === 'win32';

/** The default shell: `/bin/sh`, or `%ComSpec%` (cmd.exe) on Windows. */
export function defaultShell(): string {
  return isWindows ? (process.env.ComSpec ?? 'cmd.exe') : '/bin/sh';
}

/** `sh -c <command>` (or `cmd.exe /d /s /c "<command>"`). */
export function resolveShell(command: ShellCommand): ResolvedCommand {
  const line = checkString('command.command', command.command, { nonEmpty: true });
  const program = checkOptionalString('command.shell', command.shell) ?? defaultShell();
  const isCmd = /(?:^|[\\/])cmd(?:\.exe)?$/i.test(program);
  if (isCmd) return { file: program, args: ['/d', '/s', '/c', `"${line}"`], verbatim: true };
  return { file: program, args: ['-c', line], verbatim: false };
}
