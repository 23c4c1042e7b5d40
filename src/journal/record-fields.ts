import type { ExecutionRecord } from '../state/execution-record.js';
import type { ExecutionRequest } from '../types.js';
import { toJournalRequest } from './journal-request.js';
import {
  JOURNAL_RECORD_VERSION,
  type JournalAttempt,
  type JournalFiles,
  type JournalRecord,
  type JournalRequest,
} from './journal-types.js';

/** What was looked up about an attempt's process once it was spawned. */
export interface FoundProcess {
  number: number;
  procStartTime?: string | undefined;
  bootId?: string | undefined;
}

/** The first record of an execution: queued, with its request (minus the host's environment). */
export function queuedRecord(
  record: ExecutionRecord,
  request: ExecutionRequest,
  files: JournalFiles,
): JournalRecord {
  return {
    version: JOURNAL_RECORD_VERSION,
    id: record.id,
    status: 'queued',
    command: record.command,
    request: withOrigin(toJournalRequest({ ...request, id: record.id }), record),
    createdAt: record.createdAt.toISOString(),
    stdoutLogFile: files.stdoutLog,
    stderrLogFile: files.stderrLog,
    // Queued again after a restart while waiting for a retry: what ran before, and when it goes on.
    ...(record.state.attemptCount === 0 ? {} : retryFields(record, [])),
  };
}

/**
 * The fields of an execution waiting for a retry: `queued`, every attempt so far (the last one
 * ended) and when the next may start.
 */
export function retryFields(
  record: ExecutionRecord,
  stored: readonly JournalAttempt[],
): Partial<JournalRecord> {
  const fields: Partial<JournalRecord> = {
    status: 'queued',
    attempts: journalAttempts(record, stored),
  };
  const next = record.state.nextAttemptAt;
  if (next !== undefined) fields.nextAttemptAt = next;
  return fields;
}

/**
 * A record read back from a journal, in the current format: a version 1 record's one attempt
 * (its top-level pid and times) becomes its `attempts`.
 */
export function upgradeRecord(stored: JournalRecord): JournalRecord {
  const upgraded: JournalRecord = { ...stored, version: JOURNAL_RECORD_VERSION };
  if (stored.attempts === undefined && stored.pid !== undefined) {
    const attempt: JournalAttempt = { number: 1, pid: stored.pid };
    if (stored.startedAt !== undefined) attempt.startedAt = stored.startedAt;
    if (stored.procStartTime !== undefined) attempt.procStartTime = stored.procStartTime;
    if (stored.bootId !== undefined) attempt.bootId = stored.bootId;
    upgraded.attempts = [attempt];
  }
  return upgraded;
}

/** The fields of a spawned attempt: pid (= process group), start, deadline, process start time, boot. */
export function startedFields(
  record: ExecutionRecord,
  pid: number,
  found: FoundProcess,
): Partial<JournalRecord> {
  // No status here: a fast process may already be terminal by the time this lands.
  const fields: Partial<JournalRecord> = { pid, pgid: pid };
  const startedAt = record.state.startedAt;
  if (startedAt !== undefined) {
    fields.startedAt = startedAt.toISOString();
    if (record.timeoutMs > 0) fields.deadline = startedAt.getTime() + record.timeoutMs;
  }
  if (found.procStartTime !== undefined) fields.procStartTime = found.procStartTime;
  if (found.bootId !== undefined) fields.bootId = found.bootId;
  return fields;
}

/** The fields of the terminal state; `undefined` before there is a result. */
export function terminalFields(record: ExecutionRecord): Partial<JournalRecord> | undefined {
  const result = record.result;
  if (result === undefined) return undefined;
  const fields: Partial<JournalRecord> = {
    status: result.status,
    completedAt: result.completedAt.toISOString(),
    exitCode: result.exitCode,
    signal: result.signal,
  };
  if (result.error !== undefined) fields.error = result.error;
  // Kept with the record: a dependent step recovered after a crash still gets them.
  if (Object.keys(result.outputs).length > 0) fields.outputs = { ...result.outputs };
  return fields;
}

/**
 * The attempts of `record` as stored: what the state machine knows now, plus the process start
 * time and boot id looked up for each (`found`, or kept from `stored`). Written whole each time,
 * so a late write (the pid lookup finishing after the end) never loses the end.
 */
export function journalAttempts(
  record: ExecutionRecord,
  stored: readonly JournalAttempt[],
  found?: FoundProcess,
): JournalAttempt[] {
  return record.state.attempts.map((attempt) => {
    const known = found?.number === attempt.number ? found : stored.find((a) => a.number === attempt.number);
    const out: JournalAttempt = { number: attempt.number };
    if (attempt.pid !== undefined) out.pid = attempt.pid;
    if (known?.procStartTime !== undefined) out.procStartTime = known.procStartTime;
    if (known?.bootId !== undefined) out.bootId = known.bootId;
    if (attempt.startedAt !== undefined) out.startedAt = attempt.startedAt.toISOString();
    if (attempt.completedAt !== undefined) {
      out.completedAt = attempt.completedAt.toISOString();
      out.exitCode = attempt.exitCode;
      out.signal = attempt.signal;
    }
    if (attempt.error !== undefined) out.error = attempt.error;
    if (attempt.status !== undefined) out.status = attempt.status;
    return out;
  });
}

/** The stored request, with the schedule that started the execution and the pipeline step it runs. */
function withOrigin(stored: JournalRequest, record: ExecutionRecord): JournalRequest {
  if (record.schedule !== undefined) stored.schedule = record.schedule;
  if (record.pipeline !== undefined) stored.pipeline = { id: record.pipeline.id, step: record.pipeline.step };
  return stored;
}
