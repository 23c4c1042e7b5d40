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
  /** The execution's stderr: its last lines follow the summary line. Absent: the summary line only. */
  stderr?: string | undefined;
}

/** At most this many of stderr's last lines end a failure message... */
export const STDERR_TAIL_LINES = 10;
/** ...and at most this many bytes of them (UTF-8), `...` included when a line is cut. */
export const STDERR_TAIL_BYTES = 4096;
const CUT = '...';

/**
 * Why an execution did not succeed, for `CommandFailedError` (and the errors behind its `cause`):
 * the reason and the command on the first line (`Command failed with exit code 2: git push`), then,
 * when there is stderr, its last lines (at most {@link STDERR_TAIL_LINES} lines and
 * {@link STDERR_TAIL_BYTES} bytes), as execa does.
 */
export function describeFailure(facts: FailureFacts): string {
  const summary = summaryLine(facts);
  const tail = facts.stderr === undefined ? '' : stderrTail(facts.stderr);
  return tail === '' ? summary : `${summary}\n${tail}`;
}

function summaryLine(facts: FailureFacts): string {
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

/**
 * The end of `stderr` for a message: its last {@link STDERR_TAIL_LINES} lines (trailing blank lines
 * and spaces dropped), of which at most the last {@link STDERR_TAIL_BYTES} bytes, cut on a character
 * boundary and marked with `...` where a line was cut. Empty when stderr has nothing to show. Reads
 * only the end of the text, however long it is.
 */
export function stderrTail(stderr: string): string {
  const text = stderr.trimEnd();
  // `start`: the newline before the first kept line, or -1 when every line is kept.
  let start = text.length;
  for (let lines = 0; lines < STDERR_TAIL_LINES && start !== -1; lines++) {
    start = start === 0 ? -1 : text.lastIndexOf('\n', start - 1);
  }
  const tail = text.slice(start + 1);
  if (tail.length <= STDERR_TAIL_BYTES && Buffer.byteLength(tail) <= STDERR_TAIL_BYTES) return tail;
  const budget = STDERR_TAIL_BYTES - CUT.length;
  // Every UTF-16 code unit is at least one byte: the last `budget` units hold every byte we keep.
  let candidate = tail.slice(-budget);
  // Never start with the second half of a surrogate pair whose first half was left behind.
  if (/^[\uDC00-\uDFFF]/.test(candidate)) candidate = candidate.slice(1);
  const bytes = Buffer.from(candidate, 'utf8');
  let from = Math.max(0, bytes.length - budget);
  // Skip UTF-8 continuation bytes (10xxxxxx): start on the first byte of a character.
  while (from < bytes.length && ((bytes[from] ?? 0) & 0xc0) === 0x80) from++;
  return `${CUT}${bytes.toString('utf8', from)}`;
}
