import type { JournalRecord } from '../journal/journal-types.js';
import { isProcessAlive, isSameProcess, readBootId } from '../journal/proc-info.js';
import { EXECUTION_STATUSES, type ExecutionStatus } from '../types.js';
import { checkDuration, checkString } from '../utils/checks.js';
import type { InspectedExecution, InspectJournalOptions, JournalView } from './inspect-types.js';
import { readJournalOwner } from './journal-owner.js';
import { type ReadRecord, readJournalDir } from './read-journal-dir.js';
import { readPipelines } from './read-pipelines.js';

/** Default `staleAfterMs`. */
const STALE_AFTER_MS = 60_000;

/**
 * Reads a journal directory as another process (an API worker, a status page, `execution-engine
 * status`) sees it: every execution's status, pid, attempt, latest progress and group, whether its
 * owner still runs, which `running` executions are stale, and every pipeline's steps and status. Never takes the lock and never
 * writes, so it works while an engine owns the journal and after that engine died. Torn, empty,
 * garbage and foreign files are listed in `unreadable`, never thrown.
 * @param options.staleAfterMs See {@link InspectJournalOptions.staleAfterMs}. @default 60000
 * @throws InvalidRequestError naming `dir` (not a non-empty string) or `staleAfterMs` (not a
 * non-negative integer).
 * @throws the file system's error (`ENOENT`, `ENOTDIR`, `EACCES`) when `dir` cannot be listed.
 * @example
 * ```ts
 * import { inspectJournal } from 'execution-engine';
 *
 * const view = await inspectJournal('/var/lib/scanner/journal');
 * if (view.owner?.alive !== true) console.warn('the scanner is not running');
 * for (const e of view.executions.filter((e) => e.stale)) console.warn(`${e.id} is stale`);
 * ```
 */
export async function inspectJournal(dir: string, options: InspectJournalOptions = {}): Promise<JournalView> {
  checkString('dir', dir, { nonEmpty: true });
  const given = options?.staleAfterMs;
  const staleAfterMs = given === undefined ? STALE_AFTER_MS : checkDuration('staleAfterMs', given, 0);
  const bootId = await readBootId();
  const owner = await readJournalOwner(dir, bootId);
  const { records, unreadable } = await readJournalDir(dir);

  const ownerAlive = owner?.alive === true;
  const now = Date.now();
  const counts = Object.fromEntries(EXECUTION_STATUSES.map((s) => [s, 0])) as Record<ExecutionStatus, number>;
  const executions: InspectedExecution[] = [];
  for (const read of records) {
    const execution = inspected(read);
    counts[execution.status]++;
    if (execution.status === 'running') {
      const idle = now - read.mtimeMs > staleAfterMs;
      execution.stale = (!ownerAlive && idle) || (await processGone(read.record, bootId));
    }
    executions.push(execution);
  }
  const steps = new Map(executions.filter((e) => e.pipeline !== undefined).map((e) => [e.id, e]));
  const read = await readPipelines(dir, (id, pipelineId) => {
    const execution = steps.get(id);
    return execution?.pipeline?.id === pipelineId ? execution.status : undefined;
  });
  if (read.unreadable.length > 0) {
    unreadable.push(...read.unreadable);
    unreadable.sort((a, b) => (a.file < b.file ? -1 : 1));
  }
  return { dir, owner, executions, pipelines: read.pipelines, unreadable, counts };
}

/** True when the record's process is known to be gone: another boot, or its pid no longer that process. */
async function processGone(record: JournalRecord, bootId: string | undefined): Promise<boolean> {
  const { pid, procStartTime } = record;
  if (pid === undefined) return false;
  if (record.bootId !== undefined && bootId !== undefined && record.bootId !== bootId) return true;
  if (procStartTime !== undefined && bootId !== undefined) return !(await isSameProcess(pid, procStartTime));
  return !isProcessAlive(pid);
}

/** The public view of one record (`stale` filled in by the caller for running ones). */
function inspected({ record, mtimeMs }: ReadRecord): InspectedExecution {
  const execution: InspectedExecution = {
    id: record.id,
    status: record.status,
    commandType: record.request.command.type as InspectedExecution['commandType'],
    createdAt: new Date(record.createdAt),
    updatedAt: new Date(mtimeMs),
    stale: false,
  };
  if (record.pid !== undefined) execution.pid = record.pid;
  const attempts = record.attempts?.length ?? (record.startedAt === undefined ? 0 : 1);
  if (attempts > 0) execution.attempt = attempts;
  if (record.progress !== undefined) execution.progress = record.progress;
  if (record.request.group !== undefined) execution.group = record.request.group;
  if (record.request.pipeline !== undefined) execution.pipeline = { ...record.request.pipeline };
  if (record.request.schedule !== undefined) execution.schedule = record.request.schedule;
  if (record.startedAt !== undefined) execution.startedAt = new Date(record.startedAt);
  if (record.completedAt !== undefined) execution.completedAt = new Date(record.completedAt);
  if (record.exitCode !== undefined) execution.exitCode = record.exitCode;
  if (record.error !== undefined) execution.error = record.error;
  return execution;
}
