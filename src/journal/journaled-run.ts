import type { ChildProcess } from 'node:child_process';
import { rm } from 'node:fs/promises';
import type { NormalizedRequest } from '../arguments/normalize-request.js';
import type { ProcessDriver, RunListener, RunOptions, RunOutcome } from '../execution/process-driver.js';
import { findExecutable } from '../spawn/find-executable.js';
import { forgetOnExit, killOnExit } from '../terminate/exit-hook.js';
import { terminateGroup } from '../terminate/process-group.js';
import { waitForAdoptedExit } from './adoption.js';
import { writePrivateFile } from './durable-write.js';
import { decodeExitStatus } from './exit-status.js';
import { FileFollower } from './file-follower.js';
import { JournalWriteError } from './journal-errors.js';
import type { JournalExit, JournalFiles } from './journal-types.js';
import { buildWrapperCommand, spawnWrapper } from './wrapper.js';

/** Start a new process under the wrapper. */
export interface SpawnMode {
  kind: 'spawn';
  request: NormalizedRequest;
  /** Durably notes that a start is under way, before anything is spawned. */
  beforeSpawn(): Promise<void>;
}

/** Take over a process a previous host started. */
export interface AdoptMode {
  kind: 'adopt';
  pid: number;
  procStartTime: string | undefined;
  readExit(): Promise<JournalExit | undefined>;
}

/**
 * A process that can outlive its host: it runs under the journal's `/bin/sh` wrapper with its
 * output going to the journal's log files (no pipes to the host) and its exit status recorded in
 * an exit file. While the host lives, the log files are followed so line events stream as usual.
 * The same class adopts such a process after a restart: it follows the files from the start and
 * waits for the exit file instead of an `exit` event.
 */
export class JournaledRun implements ProcessDriver {
  readonly #mode: SpawnMode | AdoptMode;
  readonly #files: JournalFiles;
  readonly #options: RunOptions;
  readonly #listener: RunListener;
  readonly #followers: FileFollower[] = [];
  readonly #abort = new AbortController();
  #child: ChildProcess | undefined;
  #pid: number | undefined;
  #ready: Promise<boolean> = Promise.resolve(true);
  #killing: Promise<void> | undefined;
  /** The spawn under way (files prepared, start recorded, wrapper spawned). */
  #spawning: Promise<void> | undefined;
  #terminating = false;
  #done = false;

  constructor(mode: SpawnMode | AdoptMode, files: JournalFiles, options: RunOptions, listener: RunListener) {
    this.#mode = mode;
    this.#files = files;
    this.#options = options;
    this.#listener = listener;
  }

  start(): void {
    if (this.#mode.kind === 'adopt') this.#adopt(this.#mode);
    else this.#spawning = this.#spawn(this.#mode);
  }

  /** Terminates the group; a spawn still under way is skipped, or finished and then terminated. */
  terminate(): Promise<void> {
    if (this.#done) return Promise.resolve();
    this.#terminating = true;
    for (const follower of this.#followers) follower.resume();
    this.#killing ??= (async () => {
      await this.#spawning;
      const pid = this.#pid;
      if (pid === undefined || this.#done) return;
      await this.#ready;
      await terminateGroup(pid, this.#options.killSignal, this.#options.killGraceMs);
    })();
    return this.#killing;
  }

  hold(): void {
    if (this.#terminating) return;
    for (const follower of this.#followers) follower.pause();
  }

  release(): void {
    for (const follower of this.#followers) follower.resume();
  }

  async detach(): Promise<void> {
    await this.#spawning;
    if (this.#done) return;
    this.#done = true;
    this.#abort.abort();
    this.#child?.unref();
    for (const follower of this.#followers) void follower.stop();
    if (this.#pid !== undefined) forgetOnExit(this.#pid);
  }

  async #spawn(mode: SpawnMode): Promise<void> {
    const { request } = mode;
    const files = this.#files;
    let file: string;
    try {
      const path = (request.env ?? process.env).PATH;
      file = await findExecutable(request.spawn.file, path, request.cwd ?? process.cwd());
      await this.#prepareFiles(request.input).catch((error: unknown) => {
        throw new JournalWriteError('prepare the log and input files', error);
      });
      if (!this.#terminating) await mode.beforeSpawn();
    } catch (error) {
      this.#finish({ exitCode: null, signal: null, spawnError: error });
      return;
    }
    // Cancelled (or timed out) before anything ran: end without spawning.
    if (this.#terminating) {
      this.#finish({ exitCode: null, signal: null });
      return;
    }
    const wrapper = buildWrapperCommand(
      { file, args: request.spawn.args },
      {
        stdoutLog: files.stdoutLog,
        stderrLog: files.stderrLog,
        exitFile: files.exit,
        ...(request.input === undefined ? {} : { inputFile: files.input }),
      },
    );
    const options = {
      ...(request.cwd === undefined ? {} : { cwd: request.cwd }),
      ...(request.env === undefined ? {} : { env: request.env }),
    };
    let spawned: ReturnType<typeof spawnWrapper>;
    try {
      spawned = spawnWrapper(wrapper, options);
    } catch (error) {
      // Node rejects some spawns synchronously (an env value Node cannot pass, say).
      this.#finish({ exitCode: null, signal: null, spawnError: error });
      return;
    }
    const { child, ready } = spawned;
    this.#child = child;
    child.on('error', (error) => {
      if (this.#pid === undefined) this.#finish({ exitCode: null, signal: null, spawnError: error });
    });
    if (child.pid === undefined) return;
    this.#pid = child.pid;
    this.#ready = ready;
    this.#watch(child.pid);
    this.#listener.onSpawn(child.pid);
    child.on(
      'exit',
      (code, signal) => void this.#end(code === null ? { exitCode: null, signal } : decodeExitStatus(code)),
    );
  }

  /** Empty log files (a run again after recovery starts from scratch), no exit file, the input. */
  async #prepareFiles(input: string | Uint8Array | undefined): Promise<void> {
    const files = this.#files;
    await Promise.all([
      writePrivateFile(files.stdoutLog, ''),
      writePrivateFile(files.stderrLog, ''),
      rm(files.exit, { force: true }),
      // Outputs of an earlier attempt (or of a run before a restart) are not this attempt's.
      ...(files.output === undefined ? [] : [rm(files.output, { force: true })]),
    ]);
    if (input !== undefined) await writePrivateFile(files.input, input);
  }

  #adopt(mode: AdoptMode): void {
    this.#pid = mode.pid;
    this.#watch(mode.pid);
    waitForAdoptedExit({
      pid: mode.pid,
      procStartTime: mode.procStartTime,
      readExit: mode.readExit,
      signal: this.#abort.signal,
    })
      .then((exit) =>
        this.#end(exit ?? { exitCode: null, signal: null, lost: 'its exit status was never recorded' }),
      )
      .catch(() => {}); // aborted by detach()
  }

  /** Follows both log files from their start and arms the kill-on-exit hook. */
  #watch(pid: number): void {
    if (this.#options.killOnExit) killOnExit(pid);
    for (const stream of ['stdout', 'stderr'] as const) {
      const path = stream === 'stdout' ? this.#files.stdoutLog : this.#files.stderrLog;
      this.#followers.push(new FileFollower(path, (chunk) => this.#listener.onChunk(stream, chunk)));
    }
  }

  async #end(outcome: RunOutcome): Promise<void> {
    if (this.#done) return;
    await Promise.all(this.#followers.map((follower) => follower.stop()));
    if (this.#done) return;
    await this.#listener.onStreamsEnd();
    if (this.#killing !== undefined) await this.#killing;
    this.#finish(outcome);
  }

  #finish(outcome: RunOutcome): void {
    if (this.#done) return;
    this.#done = true;
    if (this.#pid !== undefined && this.#options.killOnExit) forgetOnExit(this.#pid);
    this.#child = undefined;
    this.#listener.onEnd(outcome);
  }
}
