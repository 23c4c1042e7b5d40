import type { RunOutcome } from './outcome.js';

export type { RunOutcome } from './outcome.js';

/** Which output stream a chunk came from. */
export type StreamName = 'stdout' | 'stderr';

/** Settings of one process run, from the engine config and the request. */
export interface RunOptions {
  killSignal: NodeJS.Signals;
  killGraceMs: number;
  killOnExit: boolean;
}

/** What a driver reports back, in this order: spawn, chunks, streams end, end. */
export interface RunListener {
  onSpawn(pid: number): void;
  onChunk(stream: StreamName, chunk: Buffer): void;
  /** All output has been read; flush lines and close files here. */
  onStreamsEnd(): Promise<void>;
  /** Exactly once, last: the process is gone and, if it was terminated, so is its whole group. */
  onEnd(outcome: RunOutcome): void;
}

/**
 * The `ProcessDriver` port: one attempt's OS process as the engine drives it, however it was
 * started (a local process group, a detached run under the journal's wrapper, a process a
 * previous host started). It reports its spawn, output, and end; the engine owns the timeout and
 * every state change. Every implementation passes `test/execution/process-driver-conformance.ts`.
 */
export interface ProcessDriver {
  /** Starts (or takes over) the process. Failures are reported through `onEnd`, never thrown. */
  start(): void;
  /** Terminates the whole process group; resolves once none of it is left. Idempotent. */
  terminate(): Promise<void>;
  /** Stops reading output until `release` (back-pressure). */
  hold(): void;
  release(): void;
  /** Lets the process run on without this host (journal only); no `onEnd` follows. */
  detach?(): Promise<void>;
  /**
   * Writes to the process's stdin (a request with `stdin: 'pipe'` only). Resolves once the data is
   * handed to the pipe, so awaiting each write respects back-pressure. Rejects, never throws, with
   * an {@link InputError} when stdin is not a pipe, not open yet, closed, or the process is gone
   * (EPIPE included: a write to a process that exited never crashes the host).
   */
  writeInput?(data: string | Uint8Array): Promise<void>;
  /**
   * Ends the process's stdin (EOF); resolves once it is flushed and closed, or at once when it is
   * closed already or the process is gone. Idempotent; rejects only when stdin is not a pipe.
   */
  closeInput?(): Promise<void>;
}

/** Why a {@link ProcessDriver} could not write to (or close) a process's stdin. */
export class InputError extends Error {
  /** `notPipe`: the request has no `stdin: 'pipe'`; `notStarted`, `closed`, `exited`: as named. */
  readonly reason: 'notPipe' | 'notStarted' | 'closed' | 'exited';
  constructor(reason: InputError['reason'], message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.reason = reason;
    this.name = 'InputError';
  }
}
