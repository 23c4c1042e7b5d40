import { parseAwsJson } from '../commands/aws-cli.js';
import {
  ExecutionCancelledError,
  ExecutionExpiredError,
  ExecutionTimeoutError,
  isExecutionError,
  OutputSizeExceededError,
} from '../errors.js';
import type { ExecutionErrorCode, ExecutionErrorInfo, SpawnedCommand, TerminalStatus } from '../types.js';
import { formatCommand } from '../utils/format-command.js';
import { describeFailure } from './failure-text.js';

/**
 * Why the engine stopped an execution; the first reason wins and decides the status. `expired`:
 * it waited in the queue past its `queueTimeoutMs` (it never started).
 */
export type TerminationReason = 'timeout' | 'cancel' | 'shutdown' | 'outputLimit' | 'expired';

/** How an attempt's process ended, as its driver reports it. */
export interface RunOutcome {
  exitCode: number | null;
  signal: NodeJS.Signals | string | null;
  /** Set when the process never started. */
  spawnError?: unknown;
  /** Set when the process cannot be accounted for (its exit was never recorded). */
  lost?: string;
}

/** What settling needs to know besides the outcome. */
export interface OutcomeContext {
  id: string;
  command: SpawnedCommand;
  /** The output limit in force, for the error of a `failExecution` ending. */
  limitBytes: number;
  /** `awsCli` with `output: 'json'`: parse stdout into `json`. */
  parseJson: boolean;
  /** The collected stdout (read only when `parseJson`). */
  stdout: () => string;
  /** Turns what the operating system threw at the spawn into the library's `SpawnError`. */
  spawnError: (error: unknown) => Error & { code: ExecutionErrorCode };
  /** The execution's timeout, for the `ExecutionTimeoutError` of a `timeout` ending. */
  timeoutMs?: number | undefined;
  /** The text kept with the first cancel (`'shutdown'` on shutdown), for its `ExecutionCancelledError`. */
  cancelReason?: string | undefined;
  /** The request's `queueTimeoutMs`, for the `ExecutionExpiredError` of an `expired` ending. */
  queueTimeoutMs?: number | undefined;
}

/** The terminal state an outcome leads to. */
export interface Decision {
  status: TerminalStatus;
  error?: ExecutionErrorInfo;
  /**
   * The specific error behind the ending, given as `cause` by `run()`: the one behind `error`, or an
   * `ExecutionTimeoutError` / `ExecutionCancelledError` (those statuses have no `error`).
   */
  errorCause?: Error;
  json?: unknown;
}

const failure = (error: Error & { code: ExecutionErrorCode }): Decision => ({
  status: 'failed',
  error: { code: error.code, message: error.message },
  errorCause: error,
});

/**
 * A `timeout` or `cancelled` ending: no `error` (they are not failures), but the specific error for
 * `run()`'s `cause`, worded as `run()` words its own message.
 */
function stopped(status: 'timeout' | 'cancelled', context: OutcomeContext): Decision {
  const { timeoutMs, cancelReason, id: executionId, command } = context;
  const facts = {
    status,
    command,
    timeoutMs: timeoutMs ?? 0,
    cancelReason,
    error: undefined,
    exitCode: null,
  };
  if (status === 'cancelled') {
    const message = describeFailure(facts);
    return { status, errorCause: new ExecutionCancelledError(cancelReason, message, { executionId }) };
  }
  // Known once the state passes its timeout along; without it there is nothing true to report.
  if (timeoutMs === undefined) return { status };
  return {
    status,
    errorCause: new ExecutionTimeoutError(timeoutMs, describeFailure(facts), { executionId }),
  };
}

/**
 * Decides an execution's terminal status from how its process ended. A start that failed decides
 * first (nothing ran); then the termination reason, if the engine stopped it; then the exit.
 */
export function decideOutcome(
  reason: TerminationReason | undefined,
  outcome: RunOutcome,
  context: OutcomeContext,
): Decision {
  if (outcome.spawnError !== undefined) {
    // The library's own errors (a journal that cannot be written, a lost journal lock) say best
    // why nothing ran; anything else is the operating system refusing to start the program.
    const error = isExecutionError(outcome.spawnError)
      ? outcome.spawnError
      : context.spawnError(outcome.spawnError);
    return failure(error);
  }
  // Formatted only for a message: a plain exit (the common case) never needs it.
  const command = () => formatCommand(context.command);
  switch (reason) {
    case 'timeout':
      return stopped('timeout', context);
    case 'cancel':
    case 'shutdown':
      return stopped('cancelled', context);
    case 'expired': {
      const waited = context.queueTimeoutMs ?? 0;
      return failure(
        new ExecutionExpiredError(
          waited,
          `Command expired: still queued after its queueTimeoutMs of ${waited} milliseconds: ${command()}`,
          { executionId: context.id },
        ),
      );
    }
    case 'outputLimit':
      return failure(
        new OutputSizeExceededError(
          context.limitBytes,
          `Command output exceeded ${context.limitBytes} bytes: ${command()}`,
          { executionId: context.id },
        ),
      );
    default:
      break;
  }
  if (outcome.lost !== undefined) {
    return {
      status: 'failed',
      error: { code: 'LOST', message: `Command cannot be accounted for (${outcome.lost}): ${command()}` },
    };
  }
  if (outcome.signal !== null) {
    return {
      status: 'failed',
      error: { code: 'KILLED_BY_SIGNAL', message: `Command was killed by ${outcome.signal}: ${command()}` },
    };
  }
  return context.parseJson
    ? { status: 'completed', json: parseAwsJson(context.stdout()) }
    : { status: 'completed' };
}
