import type { ProgressUpdate } from '../progress/progress-types.js';
import type {
  Command,
  ExecutionErrorInfo,
  ExecutionStatus,
  RecoveryClassification,
  RetryCondition,
  SpawnedCommand,
  TerminalStatus,
} from '../types.js';

/**
 * Version of the record format written by this library: 2 adds `attempts`. Version 1 records
 * (no `attempts`; the top-level pid and times are the one attempt) are still read.
 */
export const JOURNAL_RECORD_VERSION = 2;

/** Record versions this library reads. */
export const READABLE_RECORD_VERSIONS: readonly number[] = [1, 2];

/** One attempt (one process run) of an execution, as stored. Times are ISO strings. */
export interface JournalAttempt {
  /** 1 for the first attempt. */
  number: number;
  pid?: number;
  /** Field 22 of `/proc/<pid>/stat`, to tell the process from a later one with the same pid. */
  procStartTime?: string;
  /** Boot id of the machine when the process was started. */
  bootId?: string;
  startedAt?: string;
  completedAt?: string;
  exitCode?: number | null;
  signal?: string | null;
  error?: ExecutionErrorInfo;
  /** How the attempt ended, once it has (written by versions with retries). */
  status?: TerminalStatus;
}

/** A request's `retry` as stored (its `on` is always a list: a function cannot be journaled). */
export interface JournalRetry {
  attempts: number;
  delayMs?: number;
  backoff?: 'fixed' | 'exponential';
  maxDelayMs?: number;
  jitter?: boolean;
  on?: RetryCondition[];
}

/**
 * What is needed to run an execution again after a restart: the request minus anything that
 * came from the host. `env` is only the request's own variables, never `process.env`.
 */
export interface JournalRequest {
  command: Command;
  cwd?: string;
  env?: Record<string, string>;
  inheritEnv?: boolean;
  /** The request's `input`, base64-encoded. */
  inputBase64?: string;
  timeoutMs?: number;
  /** The request's own first signal and grace before SIGKILL, when it set them. */
  killSignal?: string;
  killGraceMs?: number;
  metadata?: Record<string, unknown>;
  /** The schedule that started the execution (`engine.schedule`), if one did. */
  schedule?: string;
  /** The pipeline and step the execution runs, if it is a pipeline's step. */
  pipeline?: { id: string; step: string };
  /** The request's retry policy, as given. */
  retry?: JournalRetry;
  /** The request's admission fields, when it set them (a recovered queued execution keeps them). */
  priority?: number;
  group?: string;
  queueTimeoutMs?: number;
}

/**
 * One execution as stored in `<dir>/<id>.json`: small, human-readable JSON that another program
 * may read at any time. Timestamps are ISO strings; `deadline` is epoch milliseconds.
 */
export interface JournalRecord {
  /** {@link JOURNAL_RECORD_VERSION} when written by this library; 1 when read from an older one. */
  version: number;
  id: string;
  status: ExecutionStatus;
  /** What is (or will be) spawned. */
  command: SpawnedCommand;
  request: JournalRequest;
  createdAt: string;
  startedAt?: string;
  completedAt?: string;
  /** When the timeout fires, in epoch milliseconds (set once started). */
  deadline?: number;
  /** Pid of the spawned process (the wrapper, when the process outlives its host). */
  pid?: number;
  /** Process group id; equals `pid` for a group leader. */
  pgid?: number;
  /** Field 22 of `/proc/<pid>/stat`, to tell the process from a later one with the same pid. */
  procStartTime?: string;
  /** Boot id of the machine when the process was started. */
  bootId?: string;
  exitCode?: number | null;
  signal?: string | null;
  error?: ExecutionErrorInfo;
  stdoutLogFile?: string;
  stderrLogFile?: string;
  /**
   * While the execution waits to be retried (status `queued`, its last attempt ended): when its
   * next attempt may start, in epoch milliseconds. A recovered execution waits until then.
   */
  nextAttemptAt?: number;
  /**
   * Every attempt, oldest first (version 2). The top-level `pid`, `startedAt`, `exitCode`, ... are
   * the latest attempt's, kept for readers of version 1.
   */
  attempts?: JournalAttempt[];
  /**
   * The latest progress read from the output (requests with `progress`), written at most once a
   * second while it changes; cleared when a retry starts.
   */
  progress?: ProgressUpdate;
  /** Once terminal: the outputs the process wrote to its `EXECUTION_OUTPUT` file, when it wrote any. */
  outputs?: Record<string, string>;
}

/** A record file that could not be read or parsed; it is skipped, never fatal. */
export interface UnreadableRecord {
  /** The id taken from the file name, when it is a valid id. */
  id?: string;
  file: string;
  reason: string;
}

/** What {@link ExecutionJournal.readAll} returns. */
export interface JournalReadResult {
  /** Oldest first (by `createdAt`, then id). */
  records: JournalRecord[];
  unreadable: UnreadableRecord[];
}

/**
 * How a process that outlived its host ended, from `<dir>/<id>.exit`. Exactly one of
 * `exitCode` and `signal` is non-null.
 */
export interface JournalExit {
  exitCode: number | null;
  signal: string | null;
  /** When the exit file was written (its mtime), if known. */
  completedAt?: Date;
}

/** The files of one execution in a file-based journal. */
export interface JournalFiles {
  record: string;
  stdoutLog: string;
  stderrLog: string;
  /** Written by the wrapper, atomically, when the process ends. */
  exit: string;
  /** The request's input, fed to stdin by the wrapper. */
  input: string;
  /**
   * The execution's `EXECUTION_OUTPUT` file, kept beside the record so that outputs written
   * while no host ran are still read. Without it, the file is a temporary one.
   */
  output?: string;
}

/**
 * Durable storage of executions. The engine calls `open` once (which takes the lock), `write`
 * on every state change, and `close` at shutdown. Implement it to keep records elsewhere; a
 * store without {@link ExecutionJournal.files} cannot run processes that outlive their host.
 */
export interface ExecutionJournal {
  /** The directory of a file-based journal. */
  readonly dir?: string;
  /** Prepares the store and takes its lock. @throws JournalLockedError when another live owner has it. */
  open(): Promise<void>;
  /** Stores the record durably; resolves once it would survive a crash. Writes of one id apply in call order. */
  write(record: JournalRecord): Promise<void>;
  /** Every stored record; broken ones are listed as unreadable with a reason. */
  readAll(): Promise<JournalReadResult>;
  /** The exit status the wrapper recorded, or `undefined` while there is none. */
  readExit(id: string): Promise<JournalExit | undefined>;
  /** Deletes the record and its exit, input and log files. Missing files are not an error. */
  remove(id: string): Promise<void>;
  /** Waits for pending writes and releases the lock. */
  close(): Promise<void>;
  /** Paths of the files of `id`, for stores that keep them on the local file system. */
  files?(id: string): JournalFiles;
  /**
   * Confirms the store is still this engine's (its lock was not lost); called after an execution
   * is durably marked as starting and before it is spawned, so two engines never run it both.
   * @throws JournalLockedError when ownership was lost.
   */
  assertOwned?(): Promise<void>;
}

/** The `journal` config value: a directory for the built-in file journal, or a store of your own. */
export type JournalOption = { dir: string } | ExecutionJournal;

export type { RecoveryClassification } from '../types.js';

/**
 * What became of a pipeline a previous host left running: `resumed` (its steps were all plain
 * requests: it goes on), or `lost` (it had function steps: it ended `failed`, its unfinished steps
 * `cancelled` with error `LOST`).
 */
export type PipelineRecoveryOutcome = 'resumed' | 'lost';

/** What `engine.recover()` returns. */
export interface RecoveryReport {
  executions: { id: string; classification: RecoveryClassification }[];
  unreadable: { file: string; reason: string }[];
  /** The pipelines a previous host left running (set by `engine.recover()`). */
  pipelines?: { id: string; outcome: PipelineRecoveryOutcome }[];
}
