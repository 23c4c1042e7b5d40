import { readdirSync, rmSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';

/**
 * The start of this host's output directory names: `execution-engine-outputs-<host>-<pid>-`. The
 * host keeps engines of other machines (or containers) sharing the temp directory out of reach.
 */
export function outputDirPrefix(): string {
  return `execution-engine-outputs-${hostname().replace(/[^A-Za-z0-9.]/g, '_')}-`;
}

/**
 * Removes the output directories (`<prefix><pid>-…` in `parent`) of this host's processes that are
 * gone: a process killed with SIGKILL cannot remove its own. A directory whose process is alive,
 * or cannot be checked, is left alone.
 */
export function removeStaleOutputDirs(parent: string, prefix: string): void {
  let names: string[];
  try {
    names = readdirSync(parent);
  } catch {
    return;
  }
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const pid = Number(name.slice(prefix.length).split('-', 1)[0]);
    if (!Number.isSafeInteger(pid) || pid <= 0 || pid === process.pid || isAlive(pid)) continue;
    try {
      rmSync(join(parent, name), { recursive: true, force: true });
    } catch {
      // Another engine removed it first, or it is not ours to remove: leave it.
    }
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: alive, but another user's.
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}
