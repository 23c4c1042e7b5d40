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
  shell?: string;
}

/** Runs `program` with `args` directly: no shell is ever involved, so arguments need no quoting. */
export interface ExecCommand {
  type: 'exec';
  program: string;
  args?: readonly string[];
}

/**
 * Runs a script file. Without `interpreter`, it is chosen from the shebang, else the extension
 * (`.sh` → `/bin/sh`, `.bash` → `bash`, `.py` → `python3`, `.js`/`.mjs`/`.cjs` → this Node,
 * `.rb` → `ruby`, `.ps1` → `pwsh`).
 */
export interface ScriptCommand {
  type: 'script';
  path: string;
  interpreter?: string;
  args?: readonly string[];
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
  args?: readonly string[];
  region?: string;
  profile?: string;
  output?: AwsCliOutput;
  endpointUrl?: string;
}

/** What to run. Build one with {@link shell}, {@link exec}, {@link script} or {@link awsCli}. */
export type Command = ShellCommand | ExecCommand | ScriptCommand | AwsCliCommand;

/** A request to run one command in the background. */
export interface ExecutionRequest {
  /** Unique id: 1–128 characters of `[A-Za-z0-9._-]`, not `.` or `..` (ids become file names). @default a UUID v7 */
  id?: string;
  command: Command;
  /** Working directory; must be an existing directory. @default process.cwd() */
  cwd?: string;
  /** Variables merged over `process.env` (or used alone when `inheritEnv` is false). */
  env?: Record<string, string>;
  /** Start from `process.env`. @default true */
  inheritEnv?: boolean;
  /** Written to stdin, then stdin is closed. Without it stdin is `/dev/null`. */
  input?: string | Uint8Array;
  /**
   * Milliseconds from the spawn (never while queued). 0 means no timeout, allowed only when the
   * engine's `maxTimeoutMs` is `Infinity`.
   * @default config.defaultTimeoutMs
   */
  timeoutMs?: number;
  /**
   * The first signal sent to this execution's process group on timeout, cancel or shutdown.
   * @default config.killSignal
   */
  killSignal?: NodeJS.Signals;
  /**
   * How long after `killSignal` the whole group gets SIGKILL.
   * @default config.killGraceMs
   */
  killGraceMs?: number;
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
  signal?: AbortSignal;
  /**
   * Copied to snapshots, results and every event (and to the journal). Must be JSON-serialisable:
   * a plain object whose values are strings, finite numbers, booleans, `null`, arrays and plain
   * objects, nested at most 100 levels, without cycles. BigInt, functions, symbols, `NaN`/`Infinity`,
   * `undefined` or holes in arrays and class instances (Date, Map, Set, typed arrays...) are
   * rejected with `InvalidRequestError` (field `metadata`). What is kept is its JSON form, a deep
   * copy taken once at `execute`: properties whose value is `undefined` are left out, as
   * `JSON.stringify` does, and later changes to your object do not show.
   */
  metadata?: Record<string, unknown>;
}

/** The program and arguments that were actually spawned. */
export interface SpawnedCommand {
  file: string;
  args: string[];
}

/** Why an execution failed or was stopped. `code` is one of the error codes, or `LOST`. */
export interface ExecutionErrorInfo {
  code: string;
  message: string;
}

/** A live view of an execution. Same fields as {@link ExecutionResult}; some optional until terminal. */
export interface ExecutionSnapshot {
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
  error?: ExecutionErrorInfo;
  pid?: number;
  command: SpawnedCommand;
  createdAt: Date;
  startedAt?: Date;
  completedAt?: Date;
  /** From start to end; 0 if it never started. */
  durationMs?: number;
  metadata?: Record<string, unknown>;
}

/** The outcome of a terminal execution. The same shape whether it succeeded or not. */
export interface ExecutionResult extends ExecutionSnapshot {
  completedAt: Date;
  durationMs: number;
}

/** Filter for {@link ExecutionEngine.list}. */
export interface ListFilter {
  status?: ExecutionStatus | readonly ExecutionStatus[];
}

/** Options for {@link ExecutionEngine.waitForCompletion}. */
export interface WaitOptions {
  /** Give up waiting (the execution keeps running) and reject with `WaitTimeoutError`. */
  timeoutMs?: number;
  /** Stop waiting when aborted; rejects with the signal's reason. */
  signal?: AbortSignal;
}

/** Options for {@link ExecutionEngine.shutdown}. */
export interface ShutdownOptions {
  /** How long running executions may finish by themselves. @default 30000 */
  graceMs?: number;
  /** Terminate what is still running after the grace. @default true */
  kill?: boolean;
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
}

/** How recovery accounted for an execution that was not terminal when its host died. */
export type RecoveryClassification =
  | 'rebooted'
  | 'adopted'
  | 'finishedWhileDown'
  | 'lost'
  | 'requeued'
  | 'cancelled';
