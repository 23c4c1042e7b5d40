import type { AdmissionFields } from '../arguments/admission-fields.js';
import type { NormalizedRequest } from '../arguments/normalize-request.js';
import { hasJsonOutput } from '../commands/aws-cli.js';
import { EventLog } from '../events/event-log.js';
import { ExecutionState } from '../execution/execution-state.js';
import { OutputBuffer } from '../io/output-buffer.js';
import type {
  ExecutionResult,
  ExecutionSnapshot,
  ExecutionSnapshotFields,
  ExecutionStatus,
  SpawnedCommand,
  UntypedMeta,
} from '../types.js';

/** Live output of one stream: what is stored (up to the output limit), flags and files. */
export interface StreamState {
  buffer: OutputBuffer;
  truncated: boolean;
  overflowFile?: string | undefined;
  logFile?: string | undefined;
}

/** How an execution's process group is terminated: `signal`, then SIGKILL after `graceMs`. */
export interface KillSettings {
  signal: NodeJS.Signals;
  graceMs: number;
}

/** What a record is made from: a request, or a record read back from a journal. */
export interface RecordInit {
  command: SpawnedCommand;
  metadata: Record<string, unknown> | undefined;
  timeoutMs: number;
  /** The first signal and the grace before SIGKILL for this execution's process group. */
  kill: KillSettings;
  parseJson: boolean;
  createdAt?: Date;
  request?: NormalizedRequest;
  /** The request's stdin mode. @default 'ignore' */
  stdin?: 'ignore' | 'pipe';
  /** The request's priority, group and queue timeout. @default none of them */
  admission?: AdmissionFields;
}

const NO_ADMISSION: AdmissionFields = Object.freeze({
  priority: undefined,
  group: undefined,
  queueTimeoutMs: undefined,
});

/**
 * One execution as the engine holds it: what it runs, its {@link ExecutionState} (status,
 * attempts, outcome: written only by the state machine), its output and its retained events.
 */
export class ExecutionRecord {
  readonly id: string;
  readonly createdAt: Date = new Date();
  readonly metadata: Record<string, unknown> | undefined;
  readonly command: SpawnedCommand;
  /** `awsCli` with `output: 'json'`: parse stdout into `json` at the end. */
  readonly parseJson: boolean;
  /** Status, attempts, timestamps, termination reason and outcome. */
  readonly state: ExecutionState;
  readonly kill: KillSettings;
  /** `'pipe'`: its stdin stays open for `writeInput`/`closeInput`. */
  readonly stdin: 'ignore' | 'pipe';
  /** Priority, group and queue timeout: how it is admitted. */
  readonly admission: AdmissionFields;
  /** Last `seq` given to an event of this execution. */
  seq = 0;
  readonly stdout: StreamState = { buffer: new OutputBuffer(), truncated: false };
  readonly stderr: StreamState = { buffer: new OutputBuffer(), truncated: false };
  /** Retained events, for replay and subscriptions. */
  readonly log: EventLog;
  #request: NormalizedRequest | undefined;
  #result: ExecutionResult | undefined;
  /** Run once the execution is terminal (detaching an abort listener, say). */
  #onTerminal: (() => void)[] = [];

  constructor(id: string, init: RecordInit) {
    this.id = id;
    this.#request = init.request;
    this.metadata = init.metadata;
    this.command = init.command;
    this.parseJson = init.parseJson;
    this.state = new ExecutionState(init.timeoutMs);
    this.kill = init.kill;
    this.stdin = init.stdin ?? 'ignore';
    this.admission = init.admission ?? NO_ADMISSION;
    if (init.createdAt !== undefined) this.createdAt = init.createdAt;
    this.log = new EventLog(id, init.metadata, [this.stdout.buffer, this.stderr.buffer]);
  }

  get status(): ExecutionStatus {
    return this.state.status;
  }
  get timeoutMs(): number {
    return this.state.timeoutMs;
  }
  get pid(): number | undefined {
    return this.state.pid;
  }
  /** The validated request, until its process is spawned (a finished execution keeps no environment). */
  get request(): NormalizedRequest | undefined {
    return this.#request;
  }
  /** The result, once terminal. Its metadata is typed by the facade (`ExecutionEngine<Meta>`). */
  get result(): ExecutionResult<UntypedMeta> | undefined {
    return this.#result;
  }

  /** Runs `dispose` once the execution is terminal (at once if it already is). */
  onTerminal(dispose: () => void): void {
    if (this.#result === undefined) this.#onTerminal.push(dispose);
    else dispose();
  }

  /** Drops the request once spawned. */
  releaseRequest(): void {
    this.#request = undefined;
  }

  /** A record for a validated request. */
  static fromRequest(id: string, request: NormalizedRequest, createdAt?: Date): ExecutionRecord {
    const { command } = request;
    return new ExecutionRecord(id, {
      request,
      metadata: request.metadata,
      timeoutMs: request.timeoutMs,
      kill: { signal: request.killSignal, graceMs: request.killGraceMs },
      command: { file: request.spawn.file, args: request.spawn.args },
      parseJson: hasJsonOutput(command),
      stdin: request.stdin,
      admission: request.admission,
      ...(createdAt === undefined ? {} : { createdAt }),
    });
  }

  /** A copy of the current state; output includes the line being written. */
  snapshot(): ExecutionSnapshot<UntypedMeta> {
    // A copy that keeps the output lazy (a spread would decode it).
    if (this.#result !== undefined)
      return Object.defineProperties({}, Object.getOwnPropertyDescriptors(this.#result)) as ExecutionSnapshot;
    // Not terminal yet (the result is kept as the state becomes terminal): a live snapshot.
    const snapshot = this.#fields();
    const startedAt = this.state.startedAt;
    if (startedAt !== undefined) snapshot.durationMs = Date.now() - startedAt.getTime();
    return snapshot as ExecutionSnapshot;
  }

  /** Builds and keeps the result; the state must be terminal. */
  keepResult(): ExecutionResult {
    const { completedAt, startedAt } = this.state;
    if (!this.state.terminal || completedAt === undefined)
      throw new Error(`Execution ${this.id} is not terminal`);
    const result = this.#fields(true) as ExecutionResult;
    result.completedAt = completedAt;
    result.durationMs = startedAt === undefined ? 0 : completedAt.getTime() - startedAt.getTime();
    this.#result = result;
    this.#request = undefined;
    for (const dispose of this.#onTerminal.splice(0)) dispose();
    return result;
  }

  /**
   * The fields of a snapshot or result. A result's `stdout`/`stderr` are decoded on first read
   * (the output no longer changes), so output nobody reads is never turned into a string.
   */
  #fields(lazyOutput = false): ExecutionSnapshotFields {
    const { stdout, stderr, state } = this;
    const snapshot: ExecutionSnapshotFields = {
      id: this.id,
      status: state.status,
      success: state.status === 'completed' && state.exitCode === 0,
      exitCode: state.exitCode,
      signal: state.signal,
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
    if (state.json !== undefined) snapshot.json = state.json;
    if (state.error !== undefined) snapshot.error = state.error;
    if (state.pid !== undefined) snapshot.pid = state.pid;
    if (state.startedAt !== undefined) snapshot.startedAt = state.startedAt;
    if (state.completedAt !== undefined) snapshot.completedAt = state.completedAt;
    if (this.metadata !== undefined) snapshot.metadata = this.metadata;
    const { priority, group } = this.admission;
    if (priority !== undefined) snapshot.priority = priority;
    if (group !== undefined) snapshot.group = group;
    return snapshot;
  }
}

/** An enumerable property whose value is the buffer's text, decoded on first read. */
function lazyText(buffer: OutputBuffer): PropertyDescriptor {
  return { get: () => buffer.text(), enumerable: true, configurable: true };
}
