import { type ChildProcess, spawn } from 'node:child_process';
import type { Readable } from 'node:stream';
import type { SpawnedCommand } from '../types.js';

/** The wrapper writes one byte to this descriptor once the command's process exists. */
export const WRAPPER_READY_FD = 3;

/**
 * The `/bin/sh` wrapper that lets a process outlive its host. Fixed text, no user data in it:
 * the positional parameters are `$1` stdout log, `$2` stderr log, `$3` stdin file, `$4` exit
 * file, then the command and its arguments.
 *
 * - The command's stdout and stderr are APPENDED to the log files and its stdin is the file:
 *   no pipe to the host, so the host's death cannot SIGPIPE it.
 * - The wrapper is the process-group leader (spawn it detached), so a group kill reaches the
 *   command and its children. Common termination signals are trapped with a no-op, and a shell
 *   runs traps only after its foreground command has ended, so the wrapper always outlives the
 *   command: its pid (= the pgid) stays valid while the command runs. Only SIGKILL (or a signal
 *   not in the list) ends it early, and then no exit file is written.
 * - The command runs in a subshell, which starts with the traps reset to the default actions
 *   (a trap catches a signal, and unlike an ignored signal a caught one is never passed on to a
 *   program). The subshell tells the host it exists by writing `r` to fd 3 if that is open
 *   (SIGPIPE ignored for that write only, so a dead host is harmless), closes fd 3 and `exec`s
 *   the command, which so starts with default signal actions and fds 0–2 only.
 * - When the command ends, its status (`$?`: the exit code, or 128+N for death by signal N) is
 *   written to the exit file atomically (temporary file, then `mv`) and the wrapper exits with it.
 *   The exit file is private (umask 077, set only after the command ran: the command keeps the
 *   host's umask); the host creates the log files with mode 0600 before the spawn.
 *
 * POSIX only (it needs `/bin/sh`, `mv` and process groups); on Windows run processes directly,
 * without surviving the host.
 *
 * Why fd 3: a group signal sent before the subshell exists reaches only the wrapper, whose trap
 * swallows it until the command ends, which it then never does. Signal the group only once the
 * ready byte has arrived (or the wrapper has exited): see {@link spawnWrapper}.
 */
export const WRAPPER_SCRIPT = [
  'o=$1 e=$2 i=$3 x=$4',
  'shift 4',
  'trap : HUP INT QUIT TERM USR1 USR2 ALRM',
  '(',
  "  trap '' PIPE",
  '  printf r 2>/dev/null >&3',
  '  trap - PIPE',
  '  exec 3>&-',
  '  exec "$@"',
  ') <"$i" >>"$o" 2>>"$e"',
  's=$?',
  'umask 077',
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
 * <stdin> <exit> <file> ...args`. `command.file` should be an absolute path (otherwise it is
 * looked up on the PATH of the environment the wrapper is spawned with).
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

/** A wrapper started by {@link spawnWrapper}. */
export interface SpawnedWrapper {
  /** The wrapper: pid = pgid. Its `exit` reports the command's status while the host lives. */
  child: ChildProcess;
  /**
   * True once the command's process exists, so that a signal to the group reaches it; false if
   * the wrapper ended (or failed to spawn) first. Never rejects.
   */
  ready: Promise<boolean>;
}

/**
 * Spawns a wrapper command detached (its own process group) with stdin, stdout and stderr on
 * `/dev/null` and only the ready pipe (fd 3) to the host, which is closed once the ready byte
 * arrives. Listen for `error` on `child` (e.g. `/bin/sh` missing). The child keeps the event
 * loop alive until it exits (call `child.unref()` to stop that).
 */
export function spawnWrapper(
  wrapper: SpawnedCommand,
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): SpawnedWrapper {
  const child = spawn(wrapper.file, wrapper.args, {
    detached: true,
    stdio: ['ignore', 'ignore', 'ignore', 'pipe'],
    ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
    ...(options.env === undefined ? {} : { env: options.env }),
  });
  const pipe = child.stdio[WRAPPER_READY_FD] as Readable | null | undefined;
  const ready = new Promise<boolean>((resolve) => {
    if (pipe == null) {
      resolve(false);
      return;
    }
    pipe.once('data', () => {
      resolve(true);
      pipe.destroy();
    });
    pipe.once('close', () => resolve(false));
    pipe.once('error', () => resolve(false));
    child.once('error', () => resolve(false));
  });
  return { child, ready };
}
