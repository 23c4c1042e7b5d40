import { type ChildProcess, spawn } from 'node:child_process';
import type { NormalizedRequest } from '../arguments/normalize-request.js';
import { SpawnError } from '../errors.js';
import type { SpawnedCommand } from '../types.js';
import { formatCommand } from '../utils/format-command.js';

const isWindows = process.platform === 'win32';

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
 * Spawns the request's program in a process group of its own (POSIX), so the whole tree can be
 * signalled at once. stdout and stderr are pipes; stdin is a pipe only when there is input,
 * `/dev/null` otherwise. Throws synchronously only for errors Node raises synchronously.
 */
export function spawnProcess(request: NormalizedRequest): ChildProcess {
  const options: Parameters<typeof spawn>[2] = {
    stdio: [request.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    detached: !isWindows,
    windowsHide: true,
    windowsVerbatimArguments: request.spawn.verbatim,
  };
  if (request.cwd !== undefined) options.cwd = request.cwd;
  if (request.env !== undefined) options.env = request.env;
  const child = spawn(request.spawn.file, request.spawn.args, options);
  if (request.input !== undefined && child.stdin !== null) {
    // A process that exits without reading its input closes the pipe: not our error.
    child.stdin.on('error', () => {});
    child.stdin.end(request.input);
  }
  return child;
}
