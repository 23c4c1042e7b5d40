import type { ExecutionErrorInfo } from '../types.js';

/**
 * One run of an execution's process: an execution is the logical job (id, request, events,
 * result); an attempt is one process started for it. Today an execution has one attempt (none if
 * it never started); retries will add more.
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
  };
}

/** A frozen copy, for readers. */
export function freezeAttempt(attempt: MutableAttempt): Attempt {
  return Object.freeze({ ...attempt });
}
