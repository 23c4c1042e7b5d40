import type { Attempt } from '../execution/attempt.js';
import type { ExecutionState } from '../execution/execution-state.js';
import type { OutputBuffer } from '../io/output-buffer.js';
import { NO_OUTPUTS } from '../io/output-values.js';
import type { ProgressUpdate } from '../progress/progress-types.js';
import type {
  Command,
  ExecutionAttempt,
  ExecutionResult,
  ExecutionSnapshotFields,
  PipelineRef,
  SpawnedCommand,
  TerminalStatus,
} from '../types.js';

/** One stream's stored output and what is known about it. */
export interface StreamFields {
  buffer: OutputBuffer;
  truncated: boolean;
  overflowFile?: string | undefined;
  logFile?: string | undefined;
}

/** What snapshots and results are built from (an `ExecutionRecord`). */
export interface FieldsSource {
  readonly id: string;
  readonly command: SpawnedCommand;
  /** The request's `command.type`. */
  readonly commandType: Command['type'];
  readonly createdAt: Date;
  readonly metadata: Record<string, unknown> | undefined;
  readonly schedule: string | undefined;
  readonly pipeline: PipelineRef | undefined;
  /** What the last attempt wrote to its `EXECUTION_OUTPUT` file, once read. */
  readonly outputs: Readonly<Record<string, string>> | undefined;
  readonly admission: { readonly priority?: number | undefined; readonly group?: string | undefined };
  readonly progress: Readonly<ProgressUpdate> | undefined;
  readonly state: ExecutionState;
  readonly stdout: StreamFields;
  readonly stderr: StreamFields;
}

/** Output up to this size is decoded when the result is built rather than on first read. */
const EAGER_DECODE_BYTES = 16 * 1024;

/** A live snapshot's fields: output decoded as it is now. */
export function snapshotFields(source: FieldsSource): ExecutionSnapshotFields {
  const { state, stdout, stderr } = source;
  const snapshot: ExecutionSnapshotFields = {
    id: source.id,
    status: state.status,
    success: state.status === 'completed' && state.exitCode === 0,
    exitCode: state.exitCode,
    signal: state.signal,
    stdout: stdout.buffer.text(),
    stderr: stderr.buffer.text(),
    stdoutTruncated: stdout.truncated,
    stderrTruncated: stderr.truncated,
    command: source.command,
    createdAt: source.createdAt,
    attempts: endedAttempts(state),
    commandType: source.commandType,
  };
  if (state.pid !== undefined) snapshot.pid = state.pid;
  const startedAt = state.firstStartedAt;
  if (startedAt !== undefined) snapshot.startedAt = startedAt;
  if (state.completedAt !== undefined) snapshot.completedAt = state.completedAt;
  return addOptional(snapshot, source);
}

/**
 * A terminal execution's result. Built as one object literal with every field a result of a
 * process that ran has, so V8 stores them in the object itself (fields added later cost a separate
 * property array per result). Output over 16 KB is decoded on first read (it no longer changes),
 * so output nobody reads is never turned into a string; smaller output is decoded at once, which
 * keeps the result a plain fast object (an accessor costs about a kilobyte per retained result).
 */
export function resultFields(source: FieldsSource, completedAt: Date): ExecutionResult {
  const { state, stdout, stderr } = source;
  const startedAt = state.firstStartedAt;
  const pid = state.pid;
  const lazyOut = stdout.buffer.byteLength > EAGER_DECODE_BYTES;
  const lazyErr = stderr.buffer.byteLength > EAGER_DECODE_BYTES;
  const out = lazyOut ? '' : stdout.buffer.text();
  const err = lazyErr ? '' : stderr.buffer.text();
  const durationMs = startedAt === undefined ? 0 : completedAt.getTime() - startedAt.getTime();
  const status = state.status as ExecutionResult['status'];
  const success = status === 'completed' && state.exitCode === 0;
  const { exitCode, signal } = state;
  const { id, command, createdAt, commandType } = source;
  const attempts = endedAttempts(state);
  const [stdoutTruncated, stderrTruncated] = [stdout.truncated, stderr.truncated];
  const outputs = (source.outputs ?? NO_OUTPUTS) as Record<string, string>;
  // Two literals, not a spread: a spread or fields added afterwards would not be stored in the
  // object itself.
  const result = (
    pid !== undefined && startedAt !== undefined
      ? {
          id,
          status,
          success,
          exitCode,
          signal,
          stdout: out,
          stderr: err,
          stdoutTruncated,
          stderrTruncated,
          command,
          createdAt,
          attempts,
          commandType,
          pid,
          startedAt,
          completedAt,
          durationMs,
          outputs,
        }
      : {
          id,
          status,
          success,
          exitCode,
          signal,
          stdout: out,
          stderr: err,
          stdoutTruncated,
          stderrTruncated,
          command,
          createdAt,
          attempts,
          commandType,
          completedAt,
          durationMs,
          outputs,
        }
  ) as ExecutionResult;
  if (pid !== undefined && startedAt === undefined) result.pid = pid;
  if (pid === undefined && startedAt !== undefined) result.startedAt = startedAt;
  if (lazyOut) Object.defineProperty(result, 'stdout', lazyText(stdout.buffer));
  if (lazyErr) Object.defineProperty(result, 'stderr', lazyText(stderr.buffer));
  return addOptional(result, source);
}

/** The fields only some executions have. */
function addOptional<T extends ExecutionSnapshotFields>(fields: T, source: FieldsSource): T {
  const { state, stdout, stderr } = source;
  if (stdout.overflowFile !== undefined) fields.stdoutOverflowFile = stdout.overflowFile;
  if (stderr.overflowFile !== undefined) fields.stderrOverflowFile = stderr.overflowFile;
  if (stdout.logFile !== undefined) fields.stdoutLogFile = stdout.logFile;
  if (stderr.logFile !== undefined) fields.stderrLogFile = stderr.logFile;
  if (state.json !== undefined) fields.json = state.json;
  if (state.error !== undefined) fields.error = state.error;
  if (source.metadata !== undefined) fields.metadata = source.metadata;
  const { priority, group } = source.admission;
  if (priority !== undefined) fields.priority = priority;
  if (group !== undefined) fields.group = group;
  if (source.schedule !== undefined) fields.schedule = source.schedule;
  if (source.pipeline !== undefined) fields.pipeline = source.pipeline;
  if (source.progress !== undefined) fields.progress = { ...source.progress };
  return fields;
}

/** The attempts that ended, in the public form (an array of exactly their number). */
function endedAttempts(state: ExecutionState): ExecutionAttempt[] {
  const attempts = state.attempts;
  return (attempts.every(hasEnded) ? attempts : attempts.filter(hasEnded)).map(publicAttempt);
}

function hasEnded(attempt: Attempt): boolean {
  return attempt.status !== undefined && attempt.completedAt !== undefined;
}

/**
 * Keys in the documented order: attempt, pid, status, exitCode, signal, error, startedAt,
 * completedAt. The common case is one literal (its fields stored in the object itself); the
 * others are added one by one (not spread), so attempt objects share V8's shapes.
 */
function publicAttempt(attempt: Attempt): ExecutionAttempt {
  const { number, pid, status, exitCode, signal, error, startedAt, completedAt } = attempt;
  if (pid !== undefined && error === undefined && startedAt !== undefined) {
    return { attempt: number, pid, status, exitCode, signal, startedAt, completedAt } as ExecutionAttempt;
  }
  const ended = { attempt: number } as ExecutionAttempt;
  if (pid !== undefined) ended.pid = pid;
  ended.status = status as TerminalStatus;
  ended.exitCode = exitCode;
  ended.signal = signal;
  if (error !== undefined) ended.error = error;
  if (startedAt !== undefined) ended.startedAt = startedAt;
  ended.completedAt = completedAt as Date;
  return ended;
}

/** An enumerable property whose value is the buffer's text, decoded on first read. */
function lazyText(buffer: OutputBuffer): PropertyDescriptor {
  return { get: () => buffer.text(), enumerable: true, configurable: true };
}
