import { type AdmissionFields, NO_ADMISSION } from '../arguments/admission-fields.js';
import type { NormalizedRequest } from '../arguments/normalize-request.js';
import type { RetryPolicy } from '../arguments/retry-options.js';
import { hasJsonOutput } from '../commands/aws-cli.js';
import { EventLog } from '../events/event-log.js';
import { ExecutionState } from '../execution/execution-state.js';
import { OutputBuffer } from '../io/output-buffer.js';
import type { ProgressParser, ProgressUpdate } from '../progress/progress-types.js';
import type {
  Command,
  ExecutionResult,
  ExecutionSnapshot,
  ExecutionStatus,
  PipelineRef,
  SpawnedCommand,
  UntypedMeta,
} from '../types.js';
import { resultFields, type StreamFields, snapshotFields } from './result-fields.js';

/** Live output of one stream: what is stored (up to the output limit), flags and files. */
export type StreamState = StreamFields;

/** How an execution's process group is terminated: `signal`, then SIGKILL after `graceMs`. */
export interface KillSettings {
  signal: NodeJS.Signals;
  graceMs: number;
}

/** What a record is made from: a request, or a record read back from a journal. */
export interface RecordInit {
  command: SpawnedCommand;
  /** The request's `command.type`. */
  commandType: Command['type'];
  metadata: Record<string, unknown> | undefined;
  timeoutMs: number;
  /** The first signal and the grace before SIGKILL for this execution's process group. */
  kill: KillSettings;
  parseJson: boolean;
  createdAt?: Date;
  request?: NormalizedRequest;
  /** The request's stdin mode. @default 'ignore' */
  stdin?: 'ignore' | 'pipe';
  /** The schedule that started it (`engine.schedule`). */
  schedule?: string | undefined;
  /** The pipeline step it runs. */
  pipeline?: PipelineRef | undefined;
  /** Reads progress from the output lines. */
  progress?: ProgressParser | undefined;
  /** The request's retry policy. */
  retry?: RetryPolicy | undefined;
  /** The request's priority, group and queue timeout. @default none of them */
  admission?: AdmissionFields;
}

/**
 * One execution as the engine holds it: what it runs, its {@link ExecutionState} (status,
 * attempts, outcome: written only by the state machine), its output and its retained events.
 */
export class ExecutionRecord {
  readonly id: string;
  readonly createdAt: Date = new Date();
  readonly metadata: Record<string, unknown> | undefined;
  readonly command: SpawnedCommand;
  /** The request's `command.type`: `shell`, `exec`, `script` or `awsCli`. */
  readonly commandType: Command['type'];
  /** `awsCli` with `output: 'json'`: parse stdout into `json` at the end. */
  readonly parseJson: boolean;
  /** Status, attempts, timestamps, termination reason and outcome. */
  readonly state: ExecutionState;
  readonly kill: KillSettings;
  /** `'pipe'`: its stdin stays open for `writeInput`/`closeInput`. */
  readonly stdin: 'ignore' | 'pipe';
  /** The schedule that started it, if one did. */
  readonly schedule: string | undefined;
  /** The pipeline step it runs, if it is one. */
  readonly pipeline: PipelineRef | undefined;
  /**
   * Where its process may write outputs (`EXECUTION_OUTPUT`), set when an attempt starts or is
   * adopted; `keep`: a journal's file, deleted only once the terminal record has landed.
   */
  outputFile: { path: string; keep: boolean } | undefined;
  /** The outputs the last attempt wrote, read once its process ended. */
  outputs: Readonly<Record<string, string>> | undefined;
  /** Reads progress from the output lines (requests with `progress`). */
  readonly progressParser: ProgressParser | undefined;
  /** The latest progress of the current attempt, for snapshots and the result. */
  progress: Readonly<ProgressUpdate> | undefined;
  /** Priority, group and queue timeout: how it is admitted. */
  readonly admission: AdmissionFields;
  /** Last `seq` given to an event of this execution. */
  seq = 0;
  /** The current (or last) attempt's output: each retry starts afresh ({@link newOutput}). */
  stdout: StreamState = { buffer: new OutputBuffer(), truncated: false };
  stderr: StreamState = { buffer: new OutputBuffer(), truncated: false };
  /** Retained events, for replay and subscriptions. */
  readonly log: EventLog;
  #request: NormalizedRequest | undefined;
  #result: ExecutionResult | undefined;
  /** Run once the execution is terminal (detaching an abort listener, say). */
  #onTerminal: (() => void)[] | undefined;

  constructor(id: string, init: RecordInit) {
    this.id = id;
    this.#request = init.request;
    this.metadata = init.metadata;
    this.command = init.command;
    this.commandType = init.commandType;
    this.parseJson = init.parseJson;
    this.state = new ExecutionState(init.timeoutMs, init.retry);
    this.kill = sharedKillSettings(init.kill);
    this.stdin = init.stdin ?? 'ignore';
    this.schedule = init.schedule;
    this.pipeline = init.pipeline;
    this.progressParser = init.progress;
    this.admission = init.admission ?? NO_ADMISSION;
    if (init.createdAt !== undefined) this.createdAt = init.createdAt;
    this.log = new EventLog(
      id,
      init.metadata,
      [this.stdout.buffer, this.stderr.buffer],
      init.schedule,
      init.pipeline,
    );
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
    if (this.#result !== undefined) dispose();
    else if (this.#onTerminal === undefined) this.#onTerminal = [dispose];
    else this.#onTerminal.push(dispose);
  }

  /** Drops the request once spawned, unless another attempt may need it. */
  releaseRequest(): void {
    if (!this.state.mayRetry) this.#request = undefined;
  }

  /**
   * A retry starts: its output is collected in new buffers (the result's output is the last
   * attempt's), while the event log keeps the earlier attempts' lines for replay. Returns the
   * earlier attempt's overflow files, no longer referenced.
   */
  newOutput(): (string | undefined)[] {
    const { stdout, stderr } = this;
    this.stdout = { buffer: new OutputBuffer(), truncated: false };
    this.stderr = { buffer: new OutputBuffer(), truncated: false };
    this.log.nextAttempt([this.stdout.buffer, this.stderr.buffer]);
    return [stdout.overflowFile, stderr.overflowFile];
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
      commandType: command.type,
      parseJson: hasJsonOutput(command),
      stdin: request.stdin,
      schedule: request.schedule,
      pipeline: request.pipeline,
      progress: request.progress,
      retry: request.retry,
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
    const snapshot = snapshotFields(this);
    const startedAt = this.state.firstStartedAt;
    if (startedAt !== undefined) snapshot.durationMs = Date.now() - startedAt.getTime();
    return snapshot as ExecutionSnapshot;
  }

  /** Builds and keeps the result; the state must be terminal. */
  keepResult(): ExecutionResult {
    const { completedAt } = this.state;
    if (!this.state.terminal || completedAt === undefined)
      throw new Error(`Execution ${this.id} is not terminal`);
    const result = resultFields(this, completedAt);
    this.state.compact();
    this.#result = result;
    this.#request = undefined;
    const onTerminal = this.#onTerminal;
    this.#onTerminal = undefined;
    for (const dispose of onTerminal ?? []) dispose();
    return result;
  }
}

/** The kill settings last seen: executions with the same ones (nearly all) share one object. */
let lastKill: KillSettings = { signal: 'SIGTERM', graceMs: 0 };

function sharedKillSettings(kill: KillSettings): KillSettings {
  if (kill.signal !== lastKill.signal || kill.graceMs !== lastKill.graceMs) lastKill = kill;
  return lastKill;
}
