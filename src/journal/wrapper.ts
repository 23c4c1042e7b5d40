import { type ChildProcess, spawn } from 'node:child_process';
import { type FileHandle, open } from 'node:fs/promises';
import { constants } from 'node:os';
import type { SpawnedCommand } from '../types.js';
import type { JournalExit } from './journal-types.js';

/**
 * The wrapper that lets a process outlive its host. Fixed text, no user data in it: the
 * positional parameters are `$1` stdout log, `$2` stderr log, `$3` stdin file, `$4` exit file,
 * then the command and its arguments.
 *
 * - The command runs in the foreground with stdin from the file and stdout/stderr APPENDED to
 *   the log files: no pipe to the host, so the host's death cannot SIGPIPE it.
 * - The wrapper is the process-group leader (spawn it detached), so a group kill reaches the
 *   command and its children. Common termination signals are trapped with a no-op (`:`), which
 *   the command does not inherit (traps reset on exec, unlike ignored signals), and a shell runs
 *   traps only after its foreground command ends: the wrapper always outlives the command and
 *   its pid stays valid while the command runs. Only SIGKILL (or an untrapped signal) stops it
 *   early, and then no exit file is written.
 * - When the command ends, its status is written atomically to the exit file (temporary file,
 *   then `mv`), and the wrapper exits with that same status.
 */
export const WRAPPER_SCRIPT = [
  'o=$1 e=$2 i=$3 x=$4',
  'shift 4',
  'trap : HUP INT QUIT TERM USR1 USR2 ALRM',
  '"$@" <"$i" >>"$o" 2>>"$e"',
  's=$?',
  `printf '%s\\n' "$s" >"$x.tmp" && PATH="/usr/bin:/bin:$PATH" mv -f "$x.tmp" "$x"`,
  'exit "$s"',
].join('\n');

/** Where the wrapper sends and takes the command's streams, and where it records the exit status. */
export interface WrapperFiles {
  stdoutLog: string;
  stderrLog: string;
  exitFile: string;
  /** File fed to stdin (the request's input). @default '/dev/null' */
  inputFile?: string;
}

/**
 * The argv that runs `command` under the wrapper: `/bin/sh -c WRAPPER_SCRIPT sh <stdout> <stderr>
 * <stdin> <exit> <file> ...args`. `command.file` should be an absolute path (it is looked up on
 * the PATH of the environment the wrapper is spawned with otherwise).
 */
export function buildWrapperCommand(
  command: SpawnedCommand,
  files: WrapperFiles,
  shell = '/bin/sh',
): SpawnedCommand {
  return {
    file: shell,
    args: [
      '-c',
      WRAPPER_SCRIPT,
      'sh',
      files.stdoutLog,
      files.stderrLog,
      files.inputFile ?? '/dev/null',
      files.exitFile,
      command.file,
      ...command.args,
    ],
  };
}

/**
 * Spawns a wrapper command detached (its own process group, pid = pgid) with no pipes, so it
 * survives the host. The returned child still reports `exit` while the host lives; it keeps
 * the event loop alive until then (call `unref()` to stop that).
 */
export function spawnWrapper(
  wrapper: SpawnedCommand,
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): ChildProcess {
  return spawn(wrapper.file, wrapper.args, {
    detached: true,
    stdio: 'ignore',
    ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
    ...(options.env === undefined ? {} : { env: options.env }),
  });
}

const SIGNAL_NAMES = new Map<number, string>(
  Object.entries(constants.signals).map(([name, number]) => [number, name]),
);

/**
 * Decodes a shell exit status. The shell reports death by signal N as 128+N, which a command
 * could also return with `exit 128+N`; like every shell we read any status 128+N where N is a
 * known signal number of this platform as "killed by that signal" (so an explicit `exit 130` is
 * recorded as SIGINT). Anything else is an exit code.
 */
export function decodeExitStatus(status: number): Omit<JournalExit, 'completedAt'> {
  const signal = status > 128 ? SIGNAL_NAMES.get(status - 128) : undefined;
  return signal === undefined ? { exitCode: status, signal: null } : { exitCode: null, signal };
}

/** Parses the text of an exit file (a decimal status and a newline); `undefined` if malformed. */
export function parseExitFile(text: string): Omit<JournalExit, 'completedAt'> | undefined {
  const match = /^(\d{1,3})\s*$/.exec(text);
  const status = match?.[1] === undefined ? Number.NaN : Number(match[1]);
  return status >= 0 && status <= 255 ? decodeExitStatus(status) : undefined;
}

/**
 * Reads an exit file written by the wrapper. `completedAt` is its modification time.
 * @returns `undefined` while it does not exist, or if it is malformed.
 */
export async function readExitFile(path: string): Promise<JournalExit | undefined> {
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const [text, info] = [await handle.readFile('utf8'), await handle.stat()];
    const exit = parseExitFile(text);
    return exit === undefined ? undefined : { ...exit, completedAt: info.mtime };
  } finally {
    await handle.close();
  }
}
