import { normalizeRequest } from '../arguments/normalize-request.js';
import { makeEvent } from '../events/make-event.js';
import type { Lifecycle } from '../run/lifecycle.js';
import { ExecutionRecord } from '../state/execution-record.js';
import { isTerminal } from '../types.js';
import { classifyJournal } from './classify.js';
import { fromJournalRequest } from './journal-request.js';
import type { JournalRecord, RecoveryClassification, RecoveryReport } from './journal-types.js';
import { JournaledRun } from './journaled-run.js';
import { readBack, restoreTerminal } from './read-back.js';

/** Why an execution is `LOST`, by classification. */
const LOST_BECAUSE: Partial<Record<RecoveryClassification, string>> = {
  rebooted: 'the machine restarted while it ran',
  lost: 'its process is gone and its exit status was never recorded',
};

/** A record for an execution read back from the journal. */
function toRecord(stored: JournalRecord, defaultTimeoutMs: number): ExecutionRecord {
  const { command } = stored.request;
  const record = new ExecutionRecord(stored.id, {
    command: stored.command,
    metadata: stored.request.metadata,
    timeoutMs: stored.request.timeoutMs ?? defaultTimeoutMs,
    parseJson: command.type === 'awsCli' && command.output === 'json',
    createdAt: new Date(stored.createdAt),
  });
  if (stored.pid !== undefined) record.pid = stored.pid;
  if (stored.startedAt !== undefined) record.startedAt = new Date(stored.startedAt);
  record.stdout.logFile = stored.stdoutLogFile;
  record.stderr.logFile = stored.stderrLogFile;
  return record;
}

/**
 * Accounts for every execution a previous host left in the journal: running ones still alive are
 * adopted, finished ones get their real exit code and output, the rest end `failed` with `LOST`,
 * queued ones run again (or are cancelled). Each emits `recovered` with its classification.
 * Terminal records are restored as retained executions, so retention removes them in time.
 */
export async function recoverJournal(lifecycle: Lifecycle): Promise<RecoveryReport> {
  const durability = lifecycle.durability;
  if (durability === undefined) return { executions: [], unreadable: [] };
  const { journal } = durability;
  const { classified, report } = await classifyJournal(journal, {
    requeueOnRecover: lifecycle.config.requeueOnRecover,
  });
  const { records } = await journal.readAll();
  for (const stored of records) {
    if (!isTerminal(stored.status)) continue;
    const record = toRecord(stored, lifecycle.config.defaultTimeoutMs);
    durability.adopt(stored);
    lifecycle.registry.add(record);
    await restoreTerminal(record, stored, durability.files(stored.id), lifecycle);
  }
  for (const { record: stored, classification } of classified) {
    if (classification === 'requeued') {
      await requeue(lifecycle, stored);
      continue;
    }
    const record = toRecord(stored, lifecycle.config.defaultTimeoutMs);
    durability.adopt(stored);
    lifecycle.registry.add(record);
    lifecycle.emit(record, makeEvent(record, 'recovered', { classification }));
    const files = durability.files(stored.id);
    if (classification === 'adopted' && stored.pid !== undefined) {
      record.status = 'running';
      lifecycle.attach(record, adoptedRun(lifecycle, record, stored));
    } else if (classification === 'finishedWhileDown') {
      const exit = await journal.readExit(stored.id).catch(() => undefined);
      const outcome = exit ?? { exitCode: null, signal: null, lost: 'its exit record could not be read' };
      await readBack(record, files, lifecycle, outcome);
    } else if (classification === 'cancelled') {
      record.terminationReason = 'cancel';
      record.cancelReason = 'not started before the previous host stopped';
      await readBack(record, files, lifecycle, { exitCode: null, signal: null });
    } else {
      const lost = LOST_BECAUSE[classification] ?? 'it cannot be accounted for';
      await readBack(record, files, lifecycle, { exitCode: null, signal: null, lost });
    }
  }
  return report;
}

/** Runs a never-started execution again under its id, keeping its creation time. */
async function requeue(lifecycle: Lifecycle, stored: JournalRecord): Promise<void> {
  const request = fromJournalRequest(stored.id, stored.request);
  let record: ExecutionRecord;
  try {
    record = ExecutionRecord.fromRequest(
      stored.id,
      await normalizeRequest(request, lifecycle.config),
      new Date(stored.createdAt),
    );
  } catch (error) {
    // It can no longer be run (its script or cwd is gone): account for it as failed.
    const failed = toRecord(stored, lifecycle.config.defaultTimeoutMs);
    lifecycle.durability?.adopt(stored);
    lifecycle.registry.add(failed);
    lifecycle.emit(failed, makeEvent(failed, 'recovered', { classification: 'requeued' }));
    failed.status = 'running';
    lifecycle.finish(failed, { exitCode: null, signal: null, spawnError: error }, false);
    return;
  }
  await lifecycle.submit(record, request, makeEvent(record, 'recovered', { classification: 'requeued' }));
}

function adoptedRun(lifecycle: Lifecycle, record: ExecutionRecord, stored: JournalRecord): JournaledRun {
  return lifecycle.adoptRun(record, (listener, options) => {
    const durability = lifecycle.durability!;
    return new JournaledRun(
      {
        kind: 'adopt',
        pid: stored.pid!,
        procStartTime: stored.procStartTime,
        deadline: stored.deadline,
        readExit: () => durability.journal.readExit(stored.id).catch(() => undefined),
      },
      durability.files(stored.id),
      options,
      listener,
    );
  });
}
