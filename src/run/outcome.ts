import { parseAwsJson } from '../commands/aws-cli.js';
import { isExecutionError, OutputSizeExceededError } from '../errors.js';
import { toSpawnError } from '../spawn/spawn-process.js';
import type { ExecutionRecord } from '../state/execution-record.js';
import { formatCommand } from '../utils/format-command.js';
import type { RunOutcome } from './execution-run.js';

/**
 * Settles a record's status, exit code, signal and error from how its process ended. The
 * termination reason (first one wins) decides before the exit does.
 */
export function applyOutcome(record: ExecutionRecord, outcome: RunOutcome): void {
  record.exitCode = outcome.exitCode;
  record.signal = outcome.signal;
  if (outcome.spawnError !== undefined) {
    // The library's own errors (a journal that cannot be written, a lost journal lock) say best
    // why nothing ran; anything else is the operating system refusing to start the program.
    const error = isExecutionError(outcome.spawnError)
      ? outcome.spawnError
      : toSpawnError(outcome.spawnError, record.command, record.id);
    record.status = 'failed';
    record.errorCause = error;
    record.error = { code: error.code, message: error.message };
    return;
  }
  switch (record.terminationReason) {
    case 'timeout':
      record.status = 'timeout';
      return;
    case 'cancel':
    case 'shutdown':
      record.status = 'cancelled';
      return;
    case 'outputLimit': {
      const limit = record.outputLimitBytes;
      const error = new OutputSizeExceededError(
        limit,
        `Command output exceeded ${limit} bytes: ${formatCommand(record.command)}`,
        { executionId: record.id },
      );
      record.status = 'failed';
      record.errorCause = error;
      record.error = { code: error.code, message: error.message };
      return;
    }
    default:
      break;
  }
  if (outcome.lost !== undefined) {
    record.status = 'failed';
    record.error = {
      code: 'LOST',
      message: `Command cannot be accounted for (${outcome.lost}): ${formatCommand(record.command)}`,
    };
    return;
  }
  if (outcome.signal !== null) {
    record.status = 'failed';
    record.error = {
      code: 'KILLED_BY_SIGNAL',
      message: `Command was killed by ${outcome.signal}: ${formatCommand(record.command)}`,
    };
    return;
  }
  record.status = 'completed';
  if (record.parseJson) record.json = parseAwsJson(record.stdout.buffer.text());
}

/** A one-line summary of why an execution did not succeed, for `CommandFailedError`. */
export function describeFailure(record: ExecutionRecord): string {
  const command = formatCommand(record.command);
  switch (record.status) {
    case 'timeout':
      return `Command timed out after ${record.timeoutMs} milliseconds: ${command}`;
    case 'cancelled':
      return `Command was cancelled${record.cancelReason === undefined ? '' : ` (${record.cancelReason})`}: ${command}`;
    case 'failed':
      return record.error?.message ?? `Command failed: ${command}`;
    default:
      return `Command failed with exit code ${record.exitCode}: ${command}`;
  }
}
