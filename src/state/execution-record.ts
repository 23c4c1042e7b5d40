import type { NormalizedRequest } from '../arguments/normalize-request.js';
import { EventLog } from '../events/event-log.js';
import { OutputBuffer } from '../io/output-buffer.js';
import type {
  ExecutionErrorInfo,
  ExecutionResult,
  ExecutionSnapshot,
  ExecutionStatus,
  SpawnedCommand,
} from '../types.js';

/** Why the engine stopped a process; the first reason wins and decides the status. */
export type TerminationReason = 'timeout' | 'cancel' | 'shutdown' | 'outputLimit';

/** Live output of one stream: what is stored (up to the output limit), flags and files. */
export interface StreamState {
  buffer: OutputBuffer;
  truncated: boolean;
  overflowFile?: string | undefined;
  logFile?: string | undefined;
}

/** What a record is made from: a request, or a record read back from a journal. */
export interface RecordInit {
  command: SpawnedCommand;
  metadata: Record<string, unknown> | undefined;
  timeoutMs: number;
  parseJson: boolean;
  createdAt?: Date;
  request?: NormalizedRequest;
}

/** Everything the engine knows about one execution. Mutable; owned by the engine. */
export class ExecutionRecord {
  readonly id: string;
  readonly createdAt: Date = new Date();
  readonly metadata: Record<string, unknown> | undefined;
  readonly timeoutMs: number;
  /** Dropped once spawned, so a finished execution does not keep a copy of the environment. */
  request: NormalizedRequest | undefined;
  readonly command: SpawnedCommand;
  /** `awsCli` with `output: 'json'`: parse stdout into `json` at the end. */
  readonly parseJson: boolean;
  status: ExecutionStatus = 'queued';
  pid: number | undefined;
  startedAt: Date | undefined;
  completedAt: Date | undefined;
  exitCode: number | null = null;
  signal: string | null = null;
  error: ExecutionErrorInfo | undefined;
  /** The specific error behind `error`, given as `cause` by `run()`. */
  errorCause: Error | undefined;
  terminationReason: TerminationReason | undefined;
  /** The output limit in force, for the error of a `failExecution` ending. */
  outputLimitBytes = 0;
  cancelReason: string | undefined;
  json: unknown;
  /** Last `seq` given to an event of this execution. */
  seq = 0;
  stdout: StreamState = { buffer: new OutputBuffer(), truncated: false };
  stderr: StreamState = { buffer: new OutputBuffer(), truncated: false };
  result: ExecutionResult | undefined;
  /** Retained events, for replay and subscriptions. */
  readonly log: EventLog;

  constructor(id: string, init: RecordInit) {
    this.id = id;
    this.request = init.request;
    this.metadata = init.metadata;
    this.timeoutMs = init.timeoutMs;
    this.command = init.command;
    this.parseJson = init.parseJson;
    if (init.createdAt !== undefined) this.createdAt = init.createdAt;
    this.log = new EventLog(id, init.metadata, [this.stdout.buffer, this.stderr.buffer]);
  }

  /** A record for a validated request. */
  static fromRequest(id: string, request: NormalizedRequest, createdAt?: Date): ExecutionRecord {
    const { command } = request;
    return new ExecutionRecord(id, {
      request,
      metadata: request.metadata,
      timeoutMs: request.timeoutMs,
      command: { file: request.spawn.file, args: request.spawn.args },
      parseJson: command.type === 'awsCli' && command.output === 'json',
      ...(createdAt === undefined ? {} : { createdAt }),
    });
  }

  /** A copy of the current state; output includes the line being written. */
  snapshot(): ExecutionSnapshot {
    // A copy that keeps the output lazy (a spread would decode it).
    if (this.result !== undefined)
      return Object.defineProperties({}, Object.getOwnPropertyDescriptors(this.result)) as ExecutionSnapshot;
    const snapshot = this.#fields();
    if (this.startedAt !== undefined) snapshot.durationMs = Date.now() - this.startedAt.getTime();
    return snapshot;
  }

  /** Builds and keeps the result once the execution is terminal. */
  finish(completedAt: Date): ExecutionResult {
    this.completedAt = completedAt;
    const fields = this.#fields(true);
    const durationMs = this.startedAt === undefined ? 0 : completedAt.getTime() - this.startedAt.getTime();
    const result = fields as ExecutionResult;
    result.completedAt = completedAt;
    result.durationMs = durationMs;
    this.result = result;
    this.request = undefined;
    return this.result;
  }

  /**
   * The fields of a snapshot or result. A result's `stdout`/`stderr` are decoded on first read
   * (the output no longer changes), so output nobody reads is never turned into a string.
   */
  #fields(lazyOutput = false): ExecutionSnapshot {
    const { stdout, stderr } = this;
    const snapshot: ExecutionSnapshot = {
      id: this.id,
      status: this.status,
      success: this.status === 'completed' && this.exitCode === 0,
      exitCode: this.exitCode,
      signal: this.signal,
      stdout: lazyOutput ? '' : stdout.buffer.text(),
      stderr: lazyOutput ? '' : stderr.buffer.text(),
      stdoutTruncated: stdout.truncated,
      stderrTruncated: stderr.truncated,
      command: this.command,
      createdAt: this.createdAt,
    };
    if (lazyOutput) {
      Object.defineProperty(snapshot, 'stdout', lazyText(stdout.buffer));
      Object.defineProperty(snapshot, 'stderr', lazyText(stderr.buffer));
    }
    if (stdout.overflowFile !== undefined) snapshot.stdoutOverflowFile = stdout.overflowFile;
    if (stderr.overflowFile !== undefined) snapshot.stderrOverflowFile = stderr.overflowFile;
    if (stdout.logFile !== undefined) snapshot.stdoutLogFile = stdout.logFile;
    if (stderr.logFile !== undefined) snapshot.stderrLogFile = stderr.logFile;
    if (this.json !== undefined) snapshot.json = this.json;
    if (this.error !== undefined) snapshot.error = this.error;
    if (this.pid !== undefined) snapshot.pid = this.pid;
    if (this.startedAt !== undefined) snapshot.startedAt = this.startedAt;
    if (this.completedAt !== undefined) snapshot.completedAt = this.completedAt;
    if (this.metadata !== undefined) snapshot.metadata = this.metadata;
    return snapshot;
  }
}

/** An enumerable property whose value is the buffer's text, decoded on first read. */
function lazyText(buffer: OutputBuffer): PropertyDescriptor {
  return { get: () => buffer.text(), enumerable: true, configurable: true };
}
