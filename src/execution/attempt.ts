import type { ExecutionErrorInfo, TerminalStatus } from '../types.js';

/**
 * One run of an execution's process: an execution is the logical job (id, request, events,
 * result); an attempt is one process started for it. An execution has one attempt per run (none
 * if it never started); a retry policy adds more.
 */
export interface Attempt {
  /** 1 for the first attempt. */
  readonly number: number;
  /** Pid of the process (the process-group leader), once spawned. */
  readonly pid: number | undefined;
  readonly startedAt: Date | undefined;
  readonly completedAt: Date | undefined;
  readonly exitCode: number | null;
  readonly signal: string | null;
  /** Why the attempt failed, when it did. */
  readonly error: ExecutionErrorInfo | undefined;
  /** How the attempt ended (the status it gave or would have given the execution), once ended. */
  readonly status: TerminalStatus | undefined;
}

/** An attempt as the state machine keeps it: the same fields, written only by it. */
export interface MutableAttempt {
  number: number;
  pid: number | undefined;
  startedAt: Date | undefined;
  completedAt: Date | undefined;
  exitCode: number | null;
  signal: string | null;
  error: ExecutionErrorInfo | undefined;
  status: TerminalStatus | undefined;
}

/** An attempt that ended, as recovery reads it back from a journal. */
export interface EndedAttempt {
  number: number;
  pid?: number | undefined;
  startedAt?: Date | undefined;
  completedAt: Date;
  exitCode: number | null;
  signal: string | null;
  error?: ExecutionErrorInfo | undefined;
  status: TerminalStatus;
}

/** A new attempt numbered `number`, not spawned yet. */
export function newAttempt(number: number, pid?: number, startedAt?: Date): MutableAttempt {
  return {
    number,
    pid,
    startedAt,
    completedAt: undefined,
    exitCode: null,
    signal: null,
    error: undefined,
    status: undefined,
  };
}

/** A frozen copy, for readers. */
export function freezeAttempt(attempt: MutableAttempt): Attempt {
  return Object.freeze({ ...attempt });
}

/** An ended attempt read back, as the state machine keeps it. */
export function endedAttempt(ended: EndedAttempt): MutableAttempt {
  const { number, pid, startedAt, completedAt, exitCode, signal, error, status } = ended;
  return { number, pid, startedAt, completedAt, exitCode, signal, error, status };
}
