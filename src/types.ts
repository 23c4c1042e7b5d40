import type { ProgressOption, ProgressUpdate } from './progress/progress-types.js';

/** The statuses an execution passes through before it ends, in order. */
const LIVE_STATUSES = ['queued', 'running'] as const;

/** The statuses an execution can end with: each also names its terminal event. */
export const TERMINAL_STATUSES = ['completed', 'failed', 'timeout', 'cancelled'] as const;

/** Every {@link ExecutionStatus}, live ones first. The one list the others derive from. */
export const EXECUTION_STATUSES = [...LIVE_STATUSES, ...TERMINAL_STATUSES] as const;

/**
 * Lifecycle of an execution. `queued` and `running` are live; the other four are terminal.
 * `completed` means the process exited by itself, whatever its exit code.
 */
export type ExecutionStatus = (typeof EXECUTION_STATUSES)[number];

/** The terminal subset of {@link ExecutionStatus}. */
export type TerminalStatus = (typeof TERMINAL_STATUSES)[number];

const ALL: ReadonlySet<unknown> = new Set(EXECUTION_STATUSES);
const TERMINAL: ReadonlySet<unknown> = new Set(TERMINAL_STATUSES);

/** True when `value` is one of the six statuses. */
export function isExecutionStatus(value: unknown): value is ExecutionStatus {
  return ALL.has(value);
}

/** True for `completed`, `failed`, `timeout` and `cancelled`. */
export function isTerminal(status: ExecutionStatus): status is TerminalStatus {
  return TERMINAL.has(status);
}

/** Runs `command` through a shell (`/bin/sh -c`, or `cmd.exe /d /s /c` on Windows). */
export interface ShellCommand {
  type: 'shell';
  command: string;
  /** Shell program. @default '/bin/sh' ('cmd.exe' on Windows) */
  shell?: string | undefined;
}

/** Runs `program` with `args` directly: no shell is ever involved, so arguments need no quoting. */
export interface ExecCommand {
  type: 'exec';
  program: string;
  args?: readonly string[] | undefined;
}

/**
 * Runs a script file. Without `interpreter`, it is chosen from the shebang, else the extension
 * (`.sh` → `/bin/sh`, `.bash` → `bash`, `.py` → `python3`, `.js`/`.mjs`/`.cjs` → this Node,
 * `.rb` → `ruby`, `.ps1` → `pwsh`).
 */
export interface ScriptCommand {
  type: 'script';
  path: string;
  interpreter?: string | undefined;
  args?: readonly string[] | undefined;
}

/** Output formats of the AWS CLI. */
export type AwsCliOutput = 'json' | 'text' | 'table' | 'yaml';

/**
 * Runs `aws <service> <operation> ...args [--region R] [--profile P] [--output O] [--endpoint-url U]`,
 * never through a shell. With `output: 'json'` the result carries the parsed stdout as `json`.
 */
export interface AwsCliCommand {
  type: 'awsCli';
  service: string;
  operation: string;
  args?: readonly string[] | undefined;
  region?: string | undefined;
  profile?: string | undefined;
  output?: AwsCliOutput | undefined;
  endpointUrl?: string | undefined;
}

/** What to run. Build one with {@link shell}, {@link exec}, {@link script} or {@link awsCli}. */
export type Command = ShellCommand | ExecCommand | ScriptCommand | AwsCliCommand;

/**
 * Metadata of an execution: a JSON-serialisable plain object. The default (and the bound) of every
 * `Meta` type parameter; `new ExecutionEngine<MyMeta>()` narrows it.
 */
export type ExecutionMetadata = Record<string, unknown>;

/**
 * A request to run one command in the background. Optional fields also accept `undefined`, which
 * means the same as leaving them out (so a maybe-undefined value compiles under
 * `exactOptionalPropertyTypes`).
 */
export interface ExecutionRequest<Meta extends ExecutionMetadata = ExecutionMetadata> {
  /** Unique id: 1–128 characters of `[A-Za-z0-9._-]`, not `.` or `..` (ids become file names). @default a UUID v7 */
  id?: string | undefined;
  command: Command;
  /** Working directory; must be an existing directory. @default process.cwd() */
  cwd?: string | undefined;
  /**
   * Variables merged over `process.env` (or used alone when `inheritEnv` is false). Every process
   * also gets `EXECUTION_OUTPUT`, the path of its outputs file (see `result.outputs`). In a
   * pipeline step's plain request, values may hold `${{ steps.<key>.outputs.<name> }}` placeholders.
   */
  env?: Record<string, string> | undefined;
  /** Start from `process.env`. @default true */
  inheritEnv?: boolean | undefined;
  /** Written to stdin, then stdin is closed. Without it stdin is `/dev/null`. */
  input?: string | Uint8Array | undefined;
  /**
   * `'pipe'` keeps the process's stdin open: write to it with `engine.writeInput(id, data)` and end
   * it with `engine.closeInput(id)` (answering a prompt, feeding a REPL). Not with `input`, and not
   * with a journal (a journaled process runs detached, with no pipe to the host): both are an
   * `InvalidRequestError` naming `stdin`. `'ignore'`: stdin is `/dev/null` (or `input`).
   * @default 'ignore'
   * @example
   * ```ts
   * const id = await engine.execute({ command: exec('python3', ['-i']), stdin: 'pipe' });
   * await engine.writeInput(id, 'print(6 * 7)\n');
   * await engine.closeInput(id); // EOF: the REPL exits
   * ```
   */
  stdin?: 'ignore' | 'pipe' | undefined;
  /**
   * Milliseconds from the spawn (never while queued). 0 means no timeout, allowed only when the
   * engine's `maxTimeoutMs` is `Infinity`.
   * @default config.defaultTimeoutMs
   */
  timeoutMs?: number | undefined;
  /**
   * The first signal sent to this execution's process group on timeout, cancel or shutdown.
   * @default config.killSignal
   */
  killSignal?: NodeJS.Signals | undefined;
  /**
   * How long after `killSignal` the whole group gets SIGKILL.
   * @default config.killGraceMs
   */
  killGraceMs?: number | undefined;
  /**
   * Aborting it cancels the execution, with the signal's reason (as text) as the cancel reason. An
   * already aborted signal makes `execute`/`run` reject with its reason; nothing is registered.
   * @example
   * ```ts
   * const controller = new AbortController();
   * const id = await engine.execute({ command: shell('npm run build'), signal: controller.signal });
   * controller.abort('user closed the window'); // cancelled, reason 'user closed the window'
   * ```
   */
  signal?: AbortSignal | undefined;
  /**
   * Copied to snapshots, results and every event (and to the journal). Must be JSON-serialisable:
   * a plain object whose values are strings, finite numbers, booleans, `null`, arrays and plain
   * objects, nested at most 100 levels, without cycles. BigInt, functions, symbols, `NaN`/`Infinity`,
   * `undefined` or holes in arrays and class instances (Date, Map, Set, typed arrays...) are
   * rejected with `InvalidRequestError` (field `metadata`). What is kept is its JSON form, a deep
   * copy taken once at `execute`: properties whose value is `undefined` are left out, as
   * `JSON.stringify` does, and later changes to your object do not show.
   */
  metadata?: Meta | undefined;
  /**
   * Reads progress from the output: a built-in parser (`'percent'`: the last `45%` of a line,
   * `'fraction'`: the last `3/12`, `'json'`: a JSON object line with `percent` or `current` and
   * `total`) or your own function of `(line, stream)`. Progress lines stay in the output. Updates
   * are emitted as `progress` events, at most one per `progressIntervalMs` (the latest always
   * before the terminal event), and the latest is the snapshot's and result's `progress`.
   * @default undefined (no parsing, no cost)
   * @example
   * ```ts
   * const id = await engine.execute({ command: shell('curl -# -O https://example.com/big.iso'), progress: 'percent' });
   * engine.on('progress', (event) => console.log(`${event.progress.percent}%`));
   * ```
   */
  progress?: ProgressOption | undefined;
  /**
   * Higher starts first among waiting executions; equal priorities start in submission order. An
   * integer (negative ones wait behind the default). See docs/admission.md.
   * @default 0
   * @example
   * ```ts
   * await engine.execute({ command: exec('make', ['hotfix']), priority: 10 });
   * ```
   */
  priority?: number | undefined;
  /**
   * The group (tenant, pool) the execution belongs to: the config's `groups[group]` (else
   * `defaultGroupLimits`) caps and paces the group's starts, and groups take turns (round robin)
   * so one busy group cannot starve another. Same characters as `id`. Without a group only the
   * global limits apply.
   * @example
   * ```ts
   * await engine.execute({ command: shell('./report.sh'), group: `tenant-${tenantId}` });
   * ```
   */
  group?: string | undefined;
  /**
   * The longest wait for the first start, in milliseconds from `execute`. An execution still
   * queued then ends `failed` with `error.code` `'EXPIRED'` (`run()` rejects with a
   * `CommandFailedError` whose `cause` is an `ExecutionExpiredError`). 0: start now or expire.
   * @default no limit
   * @example
   * ```ts
   * await engine.execute({ command: exec('notify-send', ['done']), queueTimeoutMs: 30_000 });
   * ```
   */
  queueTimeoutMs?: number | undefined;
  /**
   * Runs the command again when an attempt fails: at most `attempts` times in all, after a delay
   * that grows (`backoff`), for the endings listed in `on`. Between attempts the execution is
   * `queued` (its slot is free for others) and a `retrying` event says why and for how long.
   * Never retried: cancel, shutdown, `SPAWN_FAILED`, `OUTPUT_SIZE_EXCEEDED`, `EXPIRED`. See
   * {@link RetryOptions}.
   * @default no retries (one attempt)
   * @example
   * ```ts
   * await engine.run({ command: shell('curl -fsS https://example.com'), retry: { attempts: 3 } });
   * ```
   */
  retry?: RetryOptions | undefined;
}

/** An attempt's ending that a retry policy can retry (`on`). */
export type RetryCondition = 'nonZeroExit' | 'killedBySignal' | 'timeout';

/**
 * When and how often an execution runs again after a failed attempt (a request's `retry`).
 * The delay before attempt `n + 1` is `delayMs` (`'fixed'`) or `delayMs * 2^(n-1)`
 * (`'exponential'`), at most `maxDelayMs`; with `jitter` a random value from 0 to that delay
 * (full jitter), so many clients failing together do not retry together.
 * @example
 * ```ts
 * const retry: RetryOptions = { attempts: 5, delayMs: 500, maxDelayMs: 10_000, on: ['nonZeroExit'] };
 * ```
 */
export interface RetryOptions {
  /** Total attempts, the first one included: an integer >= 1 (1 means no retry). */
  attempts: number;
  /** The base delay before the second attempt, in ms. @default 1000 */
  delayMs?: number | undefined;
  /** How the delay grows: the same each time, or doubling. @default 'exponential' */
  backoff?: 'fixed' | 'exponential' | undefined;
  /** The longest delay, in ms. @default 60000 */
  maxDelayMs?: number | undefined;
  /** A random delay from 0 to the computed one (full jitter). @default true */
  jitter?: boolean | undefined;
  /**
   * Which endings are retried: a list of {@link RetryCondition}s, or a function given the
   * attempt's result (asked only for an attempt that did not succeed and may be retried; a
   * function that throws means no retry). A function cannot be journaled: with a journal, use a
   * list. @default ['nonZeroExit', 'killedBySignal', 'timeout']
   */
  on?: readonly RetryCondition[] | ((result: ExecutionResult) => boolean) | undefined;
}

/**
 * One attempt (one process run) of an execution, in its result's `attempts`. `status` is how
 * that attempt ended, as the execution's status would have been had it been the last.
 */
export interface ExecutionAttempt {
  /** 1 for the first attempt. */
  attempt: number;
  /** Absent when its process never started (a spawn failure). */
  pid?: number;
  status: TerminalStatus;
  exitCode: number | null;
  signal: string | null;
  error?: ExecutionErrorInfo;
  /** Absent when its process never started. */
  startedAt?: Date;
  completedAt: Date;
}

/** The program and arguments that were actually spawned. */
export interface SpawnedCommand {
  file: string;
  args: string[];
}

/**
 * Every `code` this library reports: on {@link ExecutionError} (and its subclasses) and on a
 * result's `error.code`. A result's `error.code` is one of `SPAWN_FAILED`, `OUTPUT_SIZE_EXCEEDED`,
 * `KILLED_BY_SIGNAL`, `LOST` (recovery could not account for the process), `EXPIRED` (it waited
 * longer than its `queueTimeoutMs` for a first start) or a journal code
 * (`JOURNAL_WRITE_FAILED`, `JOURNAL_LOCKED`: nothing was run). `FAILED` is only a fallback: the code
 * of a `failed` event whose result has no `error`.
 */
export type ExecutionErrorCode =
  | 'INVALID_REQUEST'
  | 'INVALID_CONFIG'
  | 'EXECUTION_NOT_FOUND'
  | 'CONCURRENCY_LIMIT_REACHED'
  | 'OUTPUT_SIZE_EXCEEDED'
  | 'SPAWN_FAILED'
  | 'COMMAND_FAILED'
  | 'WAIT_TIMEOUT'
  | 'ENGINE_SHUT_DOWN'
  | 'TIMEOUT'
  | 'CANCELLED'
  | 'KILLED_BY_SIGNAL'
  | 'LOST'
  | 'EXPIRED'
  | 'PIPELINE_FAILED'
  | 'FAILED'
  | 'JOURNAL_LOCKED'
  | 'JOURNAL_NOT_OPEN'
  | 'JOURNAL_WRITE_FAILED';

/** Why an execution failed. `code` is one of {@link ExecutionErrorCode}. */
export interface ExecutionErrorInfo {
  code: ExecutionErrorCode;
  message: string;
}

/**
 * The fields of every snapshot and result, whatever the status. {@link ExecutionSnapshot} and
 * {@link ExecutionResult} narrow them by `status`.
 */
export interface ExecutionSnapshotFields<Meta extends ExecutionMetadata = ExecutionMetadata> {
  id: string;
  status: ExecutionStatus;
  success: boolean;
  exitCode: number | null;
  signal: string | null;
  /** Lines joined with `\n`, as emitted. */
  stdout: string;
  stderr: string;
  stdoutTruncated: boolean;
  stderrTruncated: boolean;
  stdoutOverflowFile?: string;
  stderrOverflowFile?: string;
  stdoutLogFile?: string;
  stderrLogFile?: string;
  /** Parsed stdout for `awsCli` with `output: 'json'` (`undefined` when it does not parse). */
  json?: unknown;
  /** Present exactly when `status` is `failed`. */
  error?: ExecutionErrorInfo;
  pid?: number;
  command: SpawnedCommand;
  createdAt: Date;
  /** When the first attempt started. */
  startedAt?: Date;
  completedAt?: Date;
  /** From the first start to the end (to now while live); 0 if it never started. */
  durationMs?: number;
  metadata?: Meta;
  /** The name of the schedule that started this execution (`engine.schedule`), if one did. */
  schedule?: string;
  /** The latest progress read from the output (requests with `progress`), `percent` filled in. */
  progress?: ProgressUpdate;
  /**
   * Every attempt that ended, oldest first: one for an execution that ran once, none for one that
   * never started. A live snapshot lists the attempts ended so far.
   */
  attempts: ExecutionAttempt[];
  /** The request's `priority`, when it set one. */
  priority?: number;
  /** The request's `group`, when it set one. */
  group?: string;
  /**
   * What kind of command was requested: the request's `command.type` (`'shell'`, `'exec'`,
   * `'script'` or `'awsCli'`); `command` is what was actually spawned. Absent only on snapshots
   * built by other code.
   * @example
   * ```ts
   * engine.getExecution(id).commandType; // 'shell'
   * ```
   */
  commandType?: Command['type'];
  /** The pipeline and step this execution runs (`engine.startPipeline`), if it is a step. */
  pipeline?: PipelineRef;
  /**
   * The values the process wrote to the file named by its `EXECUTION_OUTPUT` environment variable
   * (`name=value` lines, or `name<<DELIM` ... `DELIM` for multi-line values): set on the result
   * (empty when it wrote none), absent from a live snapshot. See docs/pipelines.md.
   */
  outputs?: Record<string, string>;
}

/** Which pipeline (`id`) and which of its steps (`step`, the step's key) an execution runs. */
export interface PipelineRef {
  id: string;
  step: string;
}

/** The fields of a snapshot of an execution not ended yet: no error, no end. */
export interface LiveSnapshotFields<Meta extends ExecutionMetadata = ExecutionMetadata>
  extends ExecutionSnapshotFields<Meta> {
  success: false;
  error?: never;
  completedAt?: never;
}

/** A snapshot of an execution waiting for a slot. */
export interface QueuedSnapshot<Meta extends ExecutionMetadata = ExecutionMetadata>
  extends LiveSnapshotFields<Meta> {
  status: 'queued';
}

/** A snapshot of an execution whose process runs. */
export interface RunningSnapshot<Meta extends ExecutionMetadata = ExecutionMetadata>
  extends LiveSnapshotFields<Meta> {
  status: 'running';
}

/** A snapshot of an execution still `queued` or `running`. */
export type LiveExecutionSnapshot<Meta extends ExecutionMetadata = ExecutionMetadata> =
  | QueuedSnapshot<Meta>
  | RunningSnapshot<Meta>;

/** The fields of every terminal result: it has ended, so `completedAt` and `durationMs` are set. */
export interface ExecutionResultFields<Meta extends ExecutionMetadata = ExecutionMetadata>
  extends ExecutionSnapshotFields<Meta> {
  status: TerminalStatus;
  completedAt: Date;
  /** From the first start to the end; 0 if it never started. */
  durationMs: number;
  /**
   * The outputs the last attempt wrote to its `EXECUTION_OUTPUT` file (`name=value` or
   * `name<<DELIM` ... `DELIM` lines); `{}` when it wrote none.
   * @example
   * ```ts
   * const { outputs } = await engine.run({ command: shell('echo "version=1.2.3" >> "$EXECUTION_OUTPUT"') });
   * outputs.version; // '1.2.3'
   * ```
   */
  outputs: Record<string, string>;
}

/** The process exited by itself with code 0: the one case where `success` is `true`. */
export interface SuccessfulResult<Meta extends ExecutionMetadata = ExecutionMetadata>
  extends ExecutionResultFields<Meta> {
  status: 'completed';
  success: true;
  exitCode: 0;
  error?: never;
}

/** The process exited by itself with a non-zero code. */
export interface NonZeroExitResult<Meta extends ExecutionMetadata = ExecutionMetadata>
  extends ExecutionResultFields<Meta> {
  status: 'completed';
  success: false;
  error?: never;
}

/** The process exited by itself, whatever its exit code. */
export type CompletedResult<Meta extends ExecutionMetadata = ExecutionMetadata> =
  | SuccessfulResult<Meta>
  | NonZeroExitResult<Meta>;

/**
 * Spawn failure, output limit (`failExecution`), a foreign signal, a lost process, a queue timeout
 * (`EXPIRED`): `error` says which.
 */
export interface FailedResult<Meta extends ExecutionMetadata = ExecutionMetadata>
  extends ExecutionResultFields<Meta> {
  status: 'failed';
  success: false;
  error: ExecutionErrorInfo;
}

/** The execution's `timeoutMs` passed and its process group was terminated. */
export interface TimeoutResult<Meta extends ExecutionMetadata = ExecutionMetadata>
  extends ExecutionResultFields<Meta> {
  status: 'timeout';
  success: false;
  error?: never;
}

/** The execution was cancelled (`cancel()`, its request's `signal`, or `shutdown()`). */
export interface CancelledResult<Meta extends ExecutionMetadata = ExecutionMetadata>
  extends ExecutionResultFields<Meta> {
  status: 'cancelled';
  success: false;
  error?: never;
}

/**
 * The outcome of a terminal execution, discriminated by `status` (the four terminal ones):
 * `status === 'failed'` has `error`; `success === true` has `status: 'completed'` and `exitCode: 0`.
 * @example
 * ```ts
 * const result = await engine.waitForCompletion(id);
 * if (result.status === 'failed') console.error(result.error.code); // error is present
 * if (result.success) console.log(result.exitCode); // 0
 * ```
 */
export type ExecutionResult<Meta extends ExecutionMetadata = ExecutionMetadata> =
  | CompletedResult<Meta>
  | FailedResult<Meta>
  | TimeoutResult<Meta>
  | CancelledResult<Meta>;

/**
 * A view of an execution at one moment, discriminated by `status`: a {@link LiveExecutionSnapshot}
 * while `queued` or `running`, then the same fields as its {@link ExecutionResult}.
 */
export type ExecutionSnapshot<Meta extends ExecutionMetadata = ExecutionMetadata> =
  | LiveExecutionSnapshot<Meta>
  | ExecutionResult<Meta>;

/**
 * Metadata as the engine holds it internally: checked at run time (a JSON-safe plain object) and
 * typed only at the facade, by `ExecutionEngine<Meta>`. Not exported from the package.
 * @internal
 */
// biome-ignore lint/suspicious/noExplicitAny: the facade types it; see ExecutionEngine<Meta>
export type UntypedMeta = any;

/** Filter for {@link ExecutionEngine.list}. */
export interface ListFilter {
  status?: ExecutionStatus | readonly ExecutionStatus[] | undefined;
}

/** Options for {@link ExecutionEngine.waitForCompletion}. */
export interface WaitOptions {
  /** Give up waiting (the execution keeps running) and reject with `WaitTimeoutError`. */
  timeoutMs?: number | undefined;
  /** Stop waiting when aborted; rejects with the signal's reason. */
  signal?: AbortSignal | undefined;
}

/** Options for {@link ExecutionEngine.shutdown}. */
export interface ShutdownOptions {
  /** How long running executions may finish by themselves. @default 30000 */
  graceMs?: number | undefined;
  /** Terminate what is still running after the grace. @default true */
  kill?: boolean | undefined;
}

/** Counters from {@link ExecutionEngine.stats}. The last four are totals since construction. */
export interface EngineStats {
  queued: number;
  running: number;
  retained: number;
  completed: number;
  failed: number;
  timeout: number;
  cancelled: number;
  /** Queued and running executions of each group that has any; a group with neither is absent. */
  groups: Record<string, { queued: number; running: number }>;
  /**
   * Bytes read from the processes' stdout and stderr since construction (every attempt, past the
   * output limit too): what `execution_engine_output_bytes_total` reports.
   * @example
   * ```ts
   * engine.stats().outputBytes; // { stdout: 52311, stderr: 97 }
   * ```
   */
  outputBytes: { stdout: number; stderr: number };
}

/** How recovery accounted for an execution that was not terminal when its host died. */
export type RecoveryClassification =
  | 'rebooted'
  | 'adopted'
  | 'finishedWhileDown'
  | 'lost'
  | 'requeued'
  | 'cancelled';
