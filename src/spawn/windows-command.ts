import type { SpawnOptions } from 'node:child_process';
import { createRequire } from 'node:module';
import { spawnLikeError } from './find-executable.js';

/** What cross-spawn's parser returns (cross-spawn 7, `lib/parse.js`). */
interface ParsedCommand {
  command: string;
  args: string[];
  options: SpawnOptions;
  /** The program found on PATH; `undefined` when it was not found. */
  file?: string | undefined;
}

/** The part of cross-spawn used here: its parser, which execa 1–8 also called. */
interface CrossSpawn {
  _parse(command: string, args: readonly string[], options: SpawnOptions): ParsedCommand;
}

let crossSpawn: CrossSpawn | undefined;

/** cross-spawn, loaded on first use: a POSIX host never loads it. */
function loadCrossSpawn(): CrossSpawn {
  crossSpawn ??= createRequire(import.meta.url)('cross-spawn') as CrossSpawn;
  return crossSpawn;
}

/** A command as Node's `spawn` must be given it on Windows. */
export interface WindowsCommand {
  file: string;
  args: string[];
  options: SpawnOptions;
}

/**
 * What to spawn on Windows to run `file` with `args`, resolved by cross-spawn: `file` is looked
 * up on the PATH of `options.env` (whatever the case of its `Path` key) with PATHEXT, so `npm`
 * finds `npm.cmd`; a script with a shebang runs under its interpreter; a `.cmd` or `.bat` file
 * (which Node refuses to spawn without a shell since CVE-2024-27980) runs through
 * `cmd.exe /d /s /c` with the command and every argument escaped for cmd.exe; an `.exe` or
 * `.com` is spawned directly, arguments untouched.
 * @throws an ENOENT error like the one a failed spawn reports when `file` is not found: cmd.exe
 * would start anyway and report the missing program only as exit code 1.
 */
export function resolveWindowsCommand(
  file: string,
  args: readonly string[],
  options: SpawnOptions,
): WindowsCommand {
  const parsed = loadCrossSpawn()._parse(file, args, options);
  if (parsed.file === undefined) throw spawnLikeError('ENOENT', file);
  return { file: parsed.command, args: parsed.args, options: parsed.options };
}
