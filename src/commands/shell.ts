import type { ShellCommand } from '../types.js';
import { checkOptionalString, checkString } from '../utils/checks.js';
import type { CommandSnapshot } from './resolved-command.js';

const isWindows = process.platform === 'win32';

/** The default shell: `/bin/sh`, or `%ComSpec%` (cmd.exe) on Windows. */
export function defaultShell(): string {
  return isWindows ? (process.env.ComSpec ?? 'cmd.exe') : '/bin/sh';
}

/** `sh -c <command>` (or `cmd.exe /d /s /c "<command>"`). Reads each field once. */
export function resolveShell(command: ShellCommand): CommandSnapshot {
  const line = checkString('command.command', command.command, { nonEmpty: true });
  const given = checkOptionalString('command.shell', command.shell);
  const snapshot: ShellCommand =
    given === undefined ? { type: 'shell', command: line } : { type: 'shell', command: line, shell: given };
  const program = given ?? defaultShell();
  const isCmd = /(?:^|[\\/])cmd(?:\.exe)?$/i.test(program);
  if (isCmd)
    return {
      command: snapshot,
      spawn: { file: program, args: ['/d', '/s', '/c', `"${line}"`], verbatim: true },
    };
  return { command: snapshot, spawn: { file: program, args: ['-c', line], verbatim: false } };
}
