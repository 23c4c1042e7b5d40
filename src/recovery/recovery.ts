import { normalizeRequest } from '../arguments/normalize-request.js';
import { hasJsonOutput } from '../commands/aws-cli.js';
import type { ExecutionConfig } from '../config.js';
import { classifyJournal } from '../journal/classify.js';
import { fromJournalRequest } from '../journal/journal-request.js';
import type { JournalRecord, RecoveryClassification, RecoveryReport } from '../journal/journal-types.js';
import { JournaledRun } from '../journal/journaled-run.js';
import { queueDeadline } from '../run/admission-options.js';
import type { Lifecycle } from '../run/lifecycle.js';
import { ExecutionRecord } from '../state/execution-record.js';
import { makeEvent } from '../state/make-event.js';
import { isTerminal } from '../types.js';
import { isSignalName } from '../utils/signal-name.js';
import { endedAttempts, latestAttempt, readBack, restoreTerminal } from './read-back.js';

/** Why an execution is `LOST`, by classification. */
const LOST_BECAUSE: Partial<Record<RecoveryClassification, string>> = {
  rebooted: 'the machine restarted while it ran',
  lost: 'its process is gone and its exit status was never recorded',
};

/** A record for an execution read back from the journal. */
function toRecord(stored: JournalRecord, config: ExecutionConfig): ExecutionRecord {
  const { command, killSignal, killGraceMs, priority, group, queueTimeoutMs } = stored.request;
  const record = new ExecutionRecord(stored.id, {
    command: stored.command,
    commandType: command.type,
    metadata: stored.request.metadata,
    timeoutMs: stored.request.timeoutMs ?? config.defaultTimeoutMs,
    kill: {
      signal: isSignalName(killSignal) ? killSignal : config.killSignal,
      graceMs: killGraceMs ?? config.killGraceMs,
    },
    parseJson: hasJsonOutput(command),
    createdAt: new Date(stored.createdAt),
    schedule: stored.request.schedule,
    pipeline: pipelineOf(stored),
    admission: { priority, group, queueTimeoutMs },
  });
  record.stdout.logFile = stored.stdoutLogFile;
  record.stderr.logFile = stored.stderrLogFile;
  if (stored.outputs !== undefined) record.outputs = stored.outputs;
  return record;
}

/** The pipeline step a stored execution runs, if any (frozen: every snapshot and event shares it). */
function pipelineOf(stored: JournalRecord): { id: string; step: string } | undefined {
  const ref = stored.request.pipeline;
  return ref === undefined ? undefined : Object.freeze({ id: ref.id, step: ref.step });
}

/** Options of {@link recoverJournal}. */
export interface RecoverOptions {
  /**
   * True for a queued execution that must not run again (a step of a pipeline that cannot be
   * resumed): it is cancelled instead of requeued.
   */
  holdBack?: (stored: JournalRecord) => boolean;
}

/**
 * The record of a recovered execution that may still be retried: built from its request again
 * (a retry needs it to start), carrying its retry policy. One whose request can no longer be run
 * (its script or cwd gone) is recovered without retries.
 */
async function recordFor(stored: JournalRecord, config: ExecutionConfig): Promise<ExecutionRecord> {
  const retry = stored.request.retry;
  const ended = stored.attempts?.filter((attempt) => attempt.completedAt !== undefined).length ?? 0;
  if (retry === undefined || retry.attempts <= ended + (stored.status === 'running' ? 1 : 0)) {
    return toRecord(stored, config);
  }
  try {
    const request = await normalizeRequest(fromJournalRequest(stored.id, stored.request), config);
    request.schedule = stored.request.schedule;
    request.pipeline = pipelineOf(stored);
    const record = ExecutionRecord.fromRequest(stored.id, request, new Date(stored.createdAt));
    record.stdout.logFile = stored.stdoutLogFile;
    record.stderr.logFile = stored.stderrLogFile;
    return record;
  } catch {
    return toRecord(stored, config);
  }
}

/**
 * Accounts for every execution a previous host left in the journal: running ones still alive are
 * adopted, finished ones get their real exit code and output, the rest end `failed` with `LOST`,
 * queued ones run again (or are cancelled). Each emits `recovered` with its classification.
 * Terminal records are restored as retained executions, so retention removes them in time.
 */
export async function recoverJournal(
  lifecycle: Lifecycle,
  options: RecoverOptions = {},
): Promise<RecoveryReport> {
  const durability = lifecycle.durability;
  if (durability === undefined) return { executions: [], unreadable: [] };
  const { journal } = durability;
  const { classified, report } = await classifyJournal(journal, {
    requeueOnRecover: lifecycle.config.requeueOnRecover,
  });
  const { records } = await journal.readAll();
  for (const stored of records) {
    if (!isTerminal(stored.status)) continue;
    const record = toRecord(stored, lifecycle.config);
    durability.adopt(stored);
    lifecycle.register(record);
    await restoreTerminal(record, stored, durability.files(stored.id), lifecycle);
  }
  const requeued: JournalRecord[] = [];
  for (const entry of classified) {
    const { record: stored } = entry;
    if (entry.classification === 'requeued' && options.holdBack?.(stored) === true) {
      entry.classification = 'cancelled';
      const listed = report.executions.find((execution) => execution.id === stored.id);
      if (listed !== undefined) listed.classification = 'cancelled';
    }
    const { classification } = entry;
    if (classification === 'requeued') {
      requeued.push(stored);
      continue;
    }
    const record = await recordFor(stored, lifecycle.config);
    durability.adopt(stored);
    lifecycle.register(record);
    // Attempts a previous host ran to their end count against the policy's `attempts`.
    lifecycle.resume(record, endedAttempts(stored));
    lifecycle.emit(record, makeEvent(record, 'recovered', { classification }));
    const files = durability.files(stored.id);
    const { pid, startedAt } = latestAttempt(stored);
    if (files.output !== undefined) record.outputFile = { path: files.output, keep: true };
    if (classification === 'adopted' && pid !== undefined) {
      // A record without a deadline either never had one (no timeout) or predates it: from now.
      const deadline =
        stored.deadline ?? (record.timeoutMs === 0 ? undefined : Date.now() + record.timeoutMs);
      lifecycle.adopt(record, pid, startedAt, deadline, (listener, options) => {
        const last = stored.attempts?.at(-1);
        const mode = {
          kind: 'adopt',
          pid,
          procStartTime:
            (last?.completedAt === undefined ? last?.procStartTime : undefined) ?? stored.procStartTime,
          readExit: () => journal.readExit(stored.id).catch(() => undefined),
        } as const;
        return new JournaledRun(mode, files, options, listener);
      });
    } else if (classification === 'finishedWhileDown') {
      const exit = await journal.readExit(stored.id).catch(() => undefined);
      const outcome = exit ?? { exitCode: null, signal: null, lost: 'its exit record could not be read' };
      await readBack(record, stored, files, lifecycle, outcome);
    } else if (classification === 'cancelled') {
      const outcome = { exitCode: null, signal: null };
      await readBack(
        record,
        stored,
        files,
        lifecycle,
        outcome,
        'not started before the previous host stopped',
      );
    } else {
      const lost = LOST_BECAUSE[classification] ?? 'it cannot be accounted for';
      await readBack(record, stored, files, lifecycle, { exitCode: null, signal: null, lost });
    }
  }
  // After the adopted ones took their slots; by priority (stable: oldest first among equals).
  requeued.sort((a, b) => (b.request.priority ?? 0) - (a.request.priority ?? 0));
  for (const stored of requeued) await requeue(lifecycle, stored);
  return report;
}

/** Runs a never-started execution again under its id, keeping its creation time. */
async function requeue(lifecycle: Lifecycle, stored: JournalRecord): Promise<void> {
  const request = fromJournalRequest(stored.id, stored.request);
  let record: ExecutionRecord;
  try {
    const normalized = await normalizeRequest(request, lifecycle.config);
    normalized.schedule = stored.request.schedule;
    normalized.pipeline = pipelineOf(stored);
    record = ExecutionRecord.fromRequest(stored.id, normalized, new Date(stored.createdAt));
  } catch (error) {
    // It can no longer be run (its script or cwd is gone): account for it as failed.
    const failed = toRecord(stored, lifecycle.config);
    lifecycle.durability?.adopt(stored);
    lifecycle.register(failed);
    lifecycle.emit(failed, makeEvent(failed, 'recovered', { classification: 'requeued' }));
    lifecycle.readBack(failed);
    lifecycle.settle(failed, { exitCode: null, signal: null, spawnError: error });
    return;
  }
  const recovered = makeEvent(record, 'recovered', { classification: 'requeued' });
  // Waiting for a retry: the attempts so far count, and it waits out the rest of its delay.
  const ended = endedAttempts(stored);
  const { queueTimeoutMs } = record.admission;
  const expired = queueTimeoutMs !== undefined && queueDeadline(record, queueTimeoutMs) <= Date.now();
  if (ended.length === 0 && expired) {
    // Its wait for a first start ended while no host ran: it expires, it never starts late.
    lifecycle.durability?.adopt(stored);
    lifecycle.register(record);
    lifecycle.emit(record, recovered);
    await lifecycle.stop(record, 'expired');
    return;
  }
  if (ended.length > 0) lifecycle.resume(record, ended, stored.nextAttemptAt ?? Date.now());
  await lifecycle.submit(record, request, recovered);
}
