import { isTerminal } from '../types.js';
import { journalFiles } from './journal-files.js';
import type {
  ExecutionJournal,
  JournalExit,
  JournalRecord,
  RecoveryClassification,
  RecoveryReport,
} from './journal-types.js';
import { findProcessByArgument, isSameProcess, readBootId } from './proc-info.js';

/** What {@link classifyRecord} needs to know about the world; injectable for tests. */
export interface ClassifyContext {
  /** Boot id of the machine now; `undefined` where it cannot be read. */
  bootId: string | undefined;
  /** The exit status the wrapper recorded for `id`, if any. */
  readExit(id: string): Promise<JournalExit | undefined>;
  /** True when `pid` is still the process that started at `startTime`. */
  isSameProcess(pid: number, startTime: string | undefined): Promise<boolean>;
  /** Queued executions run again (`'requeued'`) rather than end `'cancelled'`. */
  requeueOnRecover: boolean;
  /**
   * Finds the live process of a record whose pid was never written (the host died between the
   * spawn and that write). @default none found
   */
  findProcess?(record: JournalRecord): Promise<{ pid: number; startTime: string } | undefined>;
}

/**
 * Decides what became of an execution that was not terminal when its host stopped, in order:
 *
 * 1. `queued`: an exit file means it was launched after all (the host died before recording
 *    the start) → `'finishedWhileDown'`; otherwise `'requeued'`, or `'cancelled'` when
 *    `requeueOnRecover` is false. One waiting for a retry (`nextAttemptAt`) has the exit file of
 *    its ended attempt: `'requeued'` (or `'cancelled'`).
 * 2. recorded on another boot → `'rebooted'` (the process died with the machine).
 * 3. an exit file → `'finishedWhileDown'`, with its real exit code.
 * 4. its pid still runs with the recorded start time → `'adopted'`.
 * 5. no pid recorded (the host died right after the spawn), but a live wrapper for its exit file
 *    is found → `'adopted'`, with that pid.
 * 6. otherwise (pid gone, reused by another process, or never recorded) → `'lost'`.
 *
 * Without a recorded start time (no `/proc`), a live pid cannot be told from a reused one, so
 * such a process is reported `'lost'` rather than risk adopting, and later killing, a stranger.
 *
 * @returns `undefined` for a terminal record: there is nothing to recover.
 */
export async function classifyRecord(
  record: JournalRecord,
  context: ClassifyContext,
): Promise<RecoveryClassification | undefined> {
  if (isTerminal(record.status)) return undefined;
  if (record.status === 'queued') {
    // Waiting for a retry: the exit file is the ended attempt's (a start removes it first).
    const waiting = record.nextAttemptAt !== undefined;
    if (!waiting && (await context.readExit(record.id)) !== undefined) return 'finishedWhileDown';
    return context.requeueOnRecover ? 'requeued' : 'cancelled';
  }
  if (record.bootId !== undefined && context.bootId !== undefined && record.bootId !== context.bootId) {
    return 'rebooted';
  }
  if ((await context.readExit(record.id)) !== undefined) return 'finishedWhileDown';
  if (record.pid !== undefined && (await context.isSameProcess(record.pid, record.procStartTime)))
    return 'adopted';
  if (record.pid === undefined) {
    const found = await context.findProcess?.(record);
    if (found !== undefined) {
      Object.assign(record, { pid: found.pid, pgid: found.pid, procStartTime: found.startTime });
      if (record.bootId === undefined && context.bootId !== undefined) record.bootId = context.bootId;
      return 'adopted';
    }
  }
  // It may have ended (and written its exit record) while it was being looked for.
  if ((await context.readExit(record.id)) !== undefined) return 'finishedWhileDown';
  return 'lost';
}

/** One examined record and its classification. */
export interface ClassifiedRecord {
  record: JournalRecord;
  classification: RecoveryClassification;
}

/**
 * Reads the whole journal and classifies every non-terminal record with the real boot id and
 * `/proc`. Unreadable files are reported, never thrown. The caller then acts on each result
 * (fail with `LOST`, record the exit, follow an adopted process, run again, ...).
 */
export async function classifyJournal(
  journal: ExecutionJournal,
  options: { requeueOnRecover: boolean },
): Promise<{ classified: ClassifiedRecord[]; report: RecoveryReport }> {
  const { records, unreadable } = await journal.readAll();
  const context: ClassifyContext = {
    bootId: await readBootId(),
    // An exit file that cannot be read counts as absent: recovery must not fail on one file.
    readExit: (id) => journal.readExit(id).catch(() => undefined),
    isSameProcess,
    requeueOnRecover: options.requeueOnRecover,
    findProcess: async (record) => {
      const files =
        journal.files?.(record.id) ??
        (journal.dir === undefined ? undefined : journalFiles(journal.dir, record.id));
      return files === undefined ? undefined : findProcessByArgument(files.exit);
    },
  };
  const classified: ClassifiedRecord[] = [];
  for (const record of records) {
    const classification = await classifyRecord(record, context);
    if (classification !== undefined) classified.push({ record, classification });
  }
  return {
    classified,
    report: {
      executions: classified.map(({ record, classification }) => ({ id: record.id, classification })),
      unreadable: unreadable.map(({ file, reason }) => ({ file, reason })),
    },
  };
}
