import type { ExecutionErrorInfo, ExecutionStatus, SpawnedCommand } from '../types.js';
import { formatCommand } from '../utils/format-command.js';

/** What a failure summary is made from. */
export interface FailureFacts {
  status: ExecutionStatus;
  command: SpawnedCommand;
  timeoutMs: number;
  cancelReason: string | undefined;
  error: ExecutionErrorInfo | undefined;
  exitCode: number | null;
}

/** A one-line summary of why an execution did not succeed, for `CommandFailedError`. */
export function describeFailure(facts: FailureFacts): string {
  const command = formatCommand(facts.command);
  switch (facts.status) {
    case 'timeout':
      return `Command timed out after ${facts.timeoutMs} milliseconds: ${command}`;
    case 'cancelled':
      return `Command was cancelled${facts.cancelReason === undefined ? '' : ` (${facts.cancelReason})`}: ${command}`;
    case 'failed':
      return facts.error?.message ?? `Command failed: ${command}`;
    default:
      return `Command failed with exit code ${facts.exitCode}: ${command}`;
  }
}
