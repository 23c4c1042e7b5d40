import { type ChildProcess, type SpawnOptions, spawn } from 'node:child_process';
import type { NormalizedRequest } from '../arguments/normalize-request.js';
import { SpawnError } from '../errors.js';
import type { SpawnedCommand } from '../types.js';
import { formatCommand } from '../utils/format-command.js';
import { HOST_PLATFORM } from './platform.js';
import { resolveWindowsCommand } from './windows-command.js';

/** What to say for the errno codes a failed spawn reports. */
const REASONS: Record<string, string> = {
  ENOENT: 'program or working directory not found',
  EACCES: 'permission denied (not executable?)',
  ENOTDIR: 'a path component is not a directory',
  EMFILE: 'too many open files',
  EAGAIN: 'out of process slots',
  E2BIG: 'argument list too long',
};

/** A `SpawnError` saying why `command` could not start. */
export function toSpawnError(error: unknown, command: SpawnedCommand, executionId: string): SpawnError {
  const code = (error as NodeJS.ErrnoException | undefined)?.code ?? 'UNKNOWN';
  const reason = REASONS[code] ?? (error instanceof Error ? error.message : String(error));
  return new SpawnError(`Command failed to start (${code}: ${reason}): ${formatCommand(command)}`, {
    executionId,
    cause: error,
  });
}

/**
 * The file, arguments and options `spawn` is called with for `request`. POSIX: the request's
 * program as is, in a process group of its own (`detached`, that is `setsid()`), so the whole tree
 * can be signalled at once. Windows: the program as cross-spawn resolves it (PATHEXT, `.cmd`/`.bat`
 * shims through cmd.exe, shebangs; see {@link resolveWindowsCommand}), no group.
 * stdout and stderr are pipes; stdin is a pipe when there is input or the request asks for one
 * (`stdin: 'pipe'`), `/dev/null` otherwise.
 * @throws an ENOENT error on Windows when the program is not found.
 */
export function spawnArguments(
  request: NormalizedRequest,
  platform: NodeJS.Platform = HOST_PLATFORM,
): [file: string, args: string[], options: SpawnOptions] {
  const windows = platform === 'win32';
  const options: SpawnOptions = {
    stdio: [request.input === undefined && request.stdin !== 'pipe' ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    detached: !windows,
    windowsHide: true,
    windowsVerbatimArguments: request.spawn.verbatim,
  };
  if (request.cwd !== undefined) options.cwd = request.cwd;
  if (request.env !== undefined) options.env = request.env;
  if (!windows) return [request.spawn.file, request.spawn.args, options];
  const resolved = resolveWindowsCommand(request.spawn.file, request.spawn.args, options);
  return [resolved.file, resolved.args, resolved.options];
}

/**
 * Spawns the request's program with Node's own `spawn` (see {@link spawnArguments}) and writes its
 * input, if any. Throws synchronously only for errors Node raises synchronously (and, on Windows,
 * for a program that is not found).
 */
export function spawnProcess(
  request: NormalizedRequest,
  platform: NodeJS.Platform = HOST_PLATFORM,
): ChildProcess {
  const child = spawn(...spawnArguments(request, platform));
  if (request.input !== undefined && child.stdin !== null) {
    // A process that exits without reading its input closes the pipe: not our error.
    child.stdin.on('error', () => {});
    child.stdin.end(request.input);
  }
  return child;
}
