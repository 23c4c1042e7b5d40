/** Which output stream a chunk came from. */
export type StreamName = 'stdout' | 'stderr';

/** How a process ended. */
export interface RunOutcome {
  exitCode: number | null;
  signal: NodeJS.Signals | string | null;
  /** Set when the process never started. */
  spawnError?: unknown;
  /** Set when the process cannot be accounted for (its exit was never recorded). */
  lost?: string;
}

/** Settings of one process run, from the engine config and the request. */
export interface RunOptions {
  timeoutMs: number;
  killSignal: NodeJS.Signals;
  killGraceMs: number;
  killOnExit: boolean;
}

/** What a run reports back, in this order: spawn, chunks, (timeout), streams end, end. */
export interface RunListener {
  onSpawn(pid: number): void;
  onChunk(stream: StreamName, chunk: Buffer): void;
  onTimeout(): void;
  /** All output has been read; flush lines and close files here. */
  onStreamsEnd(): Promise<void>;
  /** Exactly once, last: the process is gone and, if it was terminated, so is its whole group. */
  onEnd(outcome: RunOutcome): void;
}

/** One OS process as the engine drives it, however it was started. */
export interface ExecutionRun {
  /** Starts (or takes over) the process. Failures are reported through `onEnd`, never thrown. */
  start(): void;
  /** Terminates the whole process group; resolves once none of it is left. Idempotent. */
  terminate(): Promise<void>;
  /** Stops reading output until `release` (back-pressure). */
  hold(): void;
  release(): void;
  /** Lets the process run on without this host (journal only); no `onEnd` follows. */
  detach?(): Promise<void>;
}
