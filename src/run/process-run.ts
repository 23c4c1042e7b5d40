import type { ChildProcess } from 'node:child_process';
import { finished, type Readable, type Writable } from 'node:stream';
import type { NormalizedRequest } from '../arguments/normalize-request.js';
import {
  InputError,
  type ProcessDriver,
  type RunListener,
  type RunOptions,
  type RunOutcome,
  type StreamName,
} from '../execution/process-driver.js';
import { spawnProcess } from '../spawn/spawn-process.js';
import { forgetOnExit, killOnExit } from '../terminate/exit-hook.js';
import { terminateGroup } from '../terminate/process-group.js';

/** Longest stretch of output handling before the event loop gets a turn. */
const SLICE_MS = 4;
/** After the child's exit, pipes that keep delivering are read for at most this many kill graces. */
const MAX_DRAIN_GRACES = 20;

/**
 * The local {@link ProcessDriver}: spawn the process in its own group, pump its output, terminate
 * the group on request, and report the end only when the process has exited, its output is
 * drained and (after a termination) no process of its group is left.
 *
 * A grandchild that keeps the pipes open after the child exited by itself does not hang the
 * run: the pipes are closed `killGraceMs` after the child's exit and the grandchild is left
 * running, as a deliberately backgrounded daemon expects.
 */
export class ProcessRun implements ProcessDriver {
  /** Until the spawn: a running process does not keep its request (its environment, a few KB). */
  #request: NormalizedRequest | undefined;
  /** The request's stdin mode, kept past the spawn for `writeInput`/`closeInput`. */
  readonly #stdinMode: NormalizedRequest['stdin'];
  readonly #options: RunOptions;
  readonly #listener: RunListener;
  #child: ChildProcess | undefined;
  #pid: number | undefined;
  #exitCode: number | null = null;
  #signal: NodeJS.Signals | null = null;
  #exited = false;
  #ended = false;
  #killing: Promise<void> | undefined;
  /** Closes pipes a grandchild keeps open after the child's exit. */
  #pipeTimer: NodeJS.Timeout | undefined;
  /** Reasons to stop reading the pipes (slow consumers); reading resumes at zero. */
  #holds = 0;
  /** Milliseconds spent handling output since the event loop last got a turn. */
  #busy = 0;
  /** When output last arrived (performance.now()). */
  #lastData = 0;
  #terminating = false;
  /** `stdin: 'pipe'`: the child's stdin, until it is closed or the run ends. */
  #stdin: Writable | undefined;
  /** `closeInput` was called: resolves once stdin is flushed and closed. */
  #closingInput: Promise<void> | undefined;

  constructor(request: NormalizedRequest, options: RunOptions, listener: RunListener) {
    this.#request = request;
    this.#stdinMode = request.stdin;
    this.#options = options;
    this.#listener = listener;
  }

  /** Spawns the process. Failures are reported through `onEnd`, never thrown. */
  start(): void {
    const request = this.#request;
    if (request === undefined) throw new Error('ProcessRun.start() was called twice');
    this.#request = undefined;
    let child: ChildProcess;
    try {
      child = spawnProcess(request);
    } catch (error) {
      queueMicrotask(() => this.#end({ exitCode: null, signal: null, spawnError: error }));
      return;
    }
    this.#child = child;
    if (this.#stdinMode === 'pipe' && child.stdin !== null) {
      this.#stdin = child.stdin;
      // EPIPE (the process exited or closed its stdin) is reported by the write that hit it.
      child.stdin.on('error', () => {});
    }
    child.on('error', (error) => {
      if (this.#pid === undefined) this.#end({ exitCode: null, signal: null, spawnError: error });
    });
    if (child.pid === undefined) return; // the 'error' event follows
    const pid = child.pid;
    this.#pid = pid;
    if (this.#options.killOnExit) killOnExit(pid);
    this.#listener.onSpawn(pid);
    this.#pump('stdout', child.stdout);
    this.#pump('stderr', child.stderr);
    child.on('exit', (code, signal) => this.#onExit(code, signal));
    child.on('close', () => this.#onClose());
  }

  /**
   * Terminates the whole process group: `killSignal`, then SIGKILL after `killGraceMs`.
   * Resolves once no process of the group is left. Safe to call more than once.
   */
  terminate(): Promise<void> {
    if (this.#pid === undefined || this.#ended) return Promise.resolve();
    // A terminated process's last output is read whatever the consumers' pace, so a stuck
    // handler cannot hold up its end.
    this.#holds = 0;
    this.#setFlowing(true);
    this.#terminating = true;
    this.#killing ??= terminateGroup(this.#pid, this.#options.killSignal, this.#options.killGraceMs);
    return this.#killing;
  }

  /**
   * Writes to the process's stdin (`stdin: 'pipe'`); resolves once the data is handed to the pipe,
   * so a caller awaiting each write never queues more than the pipe takes (back-pressure).
   */
  writeInput(data: string | Uint8Array): Promise<void> {
    const stdin = this.#stdin;
    const refused = this.#inputRefusal();
    if (refused !== undefined) return Promise.reject(refused);
    if (this.#closingInput !== undefined || stdin === undefined || stdin.writableEnded) {
      return Promise.reject(new InputError('closed', 'its stdin is closed (closeInput was called)'));
    }
    if (stdin.destroyed) return Promise.reject(new InputError('exited', 'its stdin pipe is closed'));
    return new Promise((resolve, reject) => {
      stdin.write(data, (error) => {
        if (error === null || error === undefined) resolve();
        else
          reject(
            new InputError('exited', `the process no longer reads its stdin (${describeCode(error)})`, {
              cause: error,
            }),
          );
      });
    });
  }

  /** Ends the process's stdin (EOF); resolves once it is flushed and closed. Idempotent. */
  closeInput(): Promise<void> {
    if (this.#stdinMode !== 'pipe') return Promise.reject(notPipe());
    const stdin = this.#stdin;
    if (this.#closingInput !== undefined) return this.#closingInput;
    if (this.#pid === undefined && !this.#ended) {
      return Promise.reject(new InputError('notStarted', 'its process has not started yet'));
    }
    if (stdin === undefined || stdin.destroyed) return Promise.resolve();
    this.#closingInput = new Promise((resolve) => {
      // Resolves on 'finish', on an error (EPIPE: the process is gone) and on 'close' alike.
      finished(stdin, { readable: false }, () => resolve());
      stdin.end();
    });
    return this.#closingInput;
  }

  /** Why stdin cannot be written at all now, if it cannot. */
  #inputRefusal(): InputError | undefined {
    if (this.#stdinMode !== 'pipe') return notPipe();
    if (this.#ended) return new InputError('exited', 'its process has ended');
    if (this.#pid === undefined) return new InputError('notStarted', 'its process has not started yet');
    if (this.#exited) return new InputError('exited', 'its process has exited');
    return undefined;
  }

  /** Stops reading output until {@link release}: the process blocks once its pipe is full. */
  hold(): void {
    if (this.#terminating) return;
    if (++this.#holds === 1) this.#setFlowing(false);
  }

  /** Undoes one {@link hold}. */
  release(): void {
    if (this.#holds > 0 && --this.#holds === 0) this.#setFlowing(true);
  }

  #setFlowing(flowing: boolean): void {
    for (const stream of [this.#child?.stdout, this.#child?.stderr]) {
      if (flowing) stream?.resume();
      else stream?.pause();
    }
  }

  /**
   * Feeds a pipe's chunks to the listener. A process printing fast delivers many chunks per
   * event-loop turn; after SLICE_MS of handling them the pipe is paused until the next turn, so
   * other work (timers, I/O, a UI) is never starved for long.
   */
  #pump(stream: StreamName, readable: Readable | null): void {
    if (readable === null) return;
    readable.on('data', (chunk: Buffer) => {
      const start = performance.now();
      this.#listener.onChunk(stream, chunk);
      this.#lastData = performance.now();
      this.#busy += this.#lastData - start;
      if (this.#busy < SLICE_MS) return;
      this.#busy = 0;
      readable.pause();
      setImmediate(() => {
        if (this.#holds === 0) readable.resume();
      });
    });
  }

  #onExit(code: number | null, signal: NodeJS.Signals | null): void {
    this.#exited = true;
    this.#exitCode = code;
    this.#signal = signal;
    const child = this.#child;
    if (child === undefined) return;
    // A grandchild may hold the pipes open after the child's exit. Close them once they have
    // been quiet for killGraceMs: output still arriving (or waiting while the pipes are paused
    // for a slow consumer, or while the event loop was busy) is read first, never dropped. A
    // grandchild that never stops writing is cut off after MAX_DRAIN_GRACES graces; a consumer
    // holding the pipes (back-pressure) is always waited for.
    const exitedAt = performance.now();
    const grace = this.#options.killGraceMs;
    const decide = (firedAt: number) => {
      const now = performance.now();
      const paused = child.stdout?.isPaused() === true || child.stderr?.isPaused() === true;
      const quiet = this.#lastData < firedAt && now - this.#lastData >= grace;
      const draining = (paused || !quiet) && now - exitedAt < grace * MAX_DRAIN_GRACES;
      if (this.#holds > 0 || draining) {
        this.#pipeTimer = setTimeout(closePipes, paused || !quiet ? grace : 1).unref();
        return;
      }
      child.stdin?.destroy();
      child.stdout?.destroy();
      child.stderr?.destroy();
    };
    // Timers run before I/O in an event-loop turn: let the loop poll the pipes once more, so output
    // waiting in them (the loop was busy, say) is read before deciding they are quiet.
    const closePipes = () => {
      const firedAt = performance.now();
      setImmediate(() => decide(firedAt));
    };
    this.#pipeTimer = setTimeout(closePipes, grace).unref();
  }

  async #onClose(): Promise<void> {
    clearTimeout(this.#pipeTimer);
    if (!this.#exited) this.#onExit(this.#child?.exitCode ?? null, this.#child?.signalCode ?? null);
    clearTimeout(this.#pipeTimer);
    await this.#listener.onStreamsEnd();
    if (this.#killing !== undefined) await this.#killing;
    this.#end({ exitCode: this.#exitCode, signal: this.#signal });
  }

  #end(outcome: RunOutcome): void {
    if (this.#ended) return;
    this.#ended = true;
    clearTimeout(this.#pipeTimer);
    if (this.#pid !== undefined && this.#options.killOnExit) forgetOnExit(this.#pid);
    this.#child = undefined;
    this.#stdin?.destroy();
    this.#stdin = undefined;
    this.#listener.onEnd(outcome);
  }
}

function notPipe(): InputError {
  return new InputError('notPipe', "it was not started with `stdin: 'pipe'`");
}

/** An error's errno code (`EPIPE`), else its message. */
function describeCode(error: Error): string {
  return (error as NodeJS.ErrnoException).code ?? error.message;
}
