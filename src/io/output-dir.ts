import { mkdtempSync, rmSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onExit } from 'signal-exit';
import { outputDirPrefix, removeStaleOutputDirs } from './stale-output-dirs.js';

/**
 * The private directory (mode 0700, made by `mkdtemp`) where an engine's executions get their
 * `EXECUTION_OUTPUT` files. Made on the first execution, not before; nothing is created per
 * execution: each gets a path, and its process creates the file if it writes outputs. Removed
 * with everything in it by {@link dispose} (at shutdown) and when the Node process exits, normally
 * or on a signal (signal-exit), so no file outlives the engine. A process killed with SIGKILL
 * cannot remove its directory: the next engine on the host removes it (its name holds the pid).
 */
export class OutputDir {
  #dir: string | undefined;
  #removeHook: (() => void) | undefined;

  /** The `EXECUTION_OUTPUT` path of execution `id` (an id is a safe file name). */
  pathFor(id: string): string {
    return join(this.#dir ?? this.#create(), `${id}.out`);
  }

  #create(): string {
    const prefix = outputDirPrefix();
    removeStaleOutputDirs(tmpdir(), prefix);
    const dir = mkdtempSync(join(tmpdir(), `${prefix}${process.pid}-`));
    this.#dir = dir;
    this.#removeHook = onExit(() => {
      try {
        rmSync(dir, { recursive: true, force: true });
      } catch {
        // nothing more can be done at exit
      }
    });
    return dir;
  }

  /** Removes the directory and what is left in it. */
  async dispose(): Promise<void> {
    const dir = this.#dir;
    if (dir === undefined) return;
    this.#dir = undefined;
    this.#removeHook?.();
    this.#removeHook = undefined;
    await rm(dir, { recursive: true, force: true }).catch(() => {});
  }
}
