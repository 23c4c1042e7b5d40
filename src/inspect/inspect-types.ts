import type { UnreadableRecord } from '../journal/journal-types.js';
import type { PipelineSnapshot } from '../pipeline/pipeline-types.js';
import type { ProgressUpdate } from '../progress/progress-types.js';
import type { Command, ExecutionErrorInfo, ExecutionStatus } from '../types.js';

/** Options of {@link inspectJournal}. */
export interface InspectJournalOptions {
  /**
   * While the journal's owner is dead (or there is none), a `running` execution whose record has
   * not changed for this long is `stale`, even if its process still runs: nobody follows it.
   * @default 60000
   */
  staleAfterMs?: number | undefined;
}

/** The engine that owns a journal directory, from its `journal.lock`. */
export interface JournalOwner {
  pid: number;
  /** The very process that took the lock still runs (same boot, same process start time). */
  alive: boolean;
}

/** One execution as its journal record tells it, read by {@link inspectJournal}. */
export interface InspectedExecution {
  id: string;
  status: ExecutionStatus;
  /** The current (or last) attempt's process: the wrapper, leader of its process group. */
  pid?: number;
  /** The current (or last) attempt's number, from 1; absent before the first start. */
  attempt?: number;
  /** The latest progress written to the record (at most once a second). */
  progress?: ProgressUpdate;
  /** The request's `group`. */
  group?: string;
  /** The pipeline and step the execution runs, if it is a pipeline's step. */
  pipeline?: { id: string; step: string };
  /** The request's `command.type`. */
  commandType: Command['type'];
  /** The schedule that started it, if one did. */
  schedule?: string;
  createdAt: Date;
  startedAt?: Date;
  completedAt?: Date;
  /** When the record was last written (its file's modification time). */
  updatedAt: Date;
  exitCode?: number | null;
  error?: ExecutionErrorInfo;
  /**
   * `running` but nobody will ever update it: its process is gone (its exit not recorded by a
   * live owner), or its owner is dead and the record has not changed for `staleAfterMs`.
   */
  stale: boolean;
}

/** One pipeline as its record (`<dir>/pipelines/<id>.json`) tells it, read by {@link inspectJournal}. */
export interface InspectedPipeline extends PipelineSnapshot {
  /** When the record was last written (its file's modification time). */
  updatedAt: Date;
  /** Every step is a plain request: an engine opening the journal resumes it if it is running. */
  resumable: boolean;
}

/** What {@link inspectJournal} returns: a journal directory as another process sees it. */
export interface JournalView {
  dir: string;
  /** `null` when there is no lock file (no engine has the journal open, or it closed cleanly). */
  owner: JournalOwner | null;
  /** Oldest first (by `createdAt`, then id). */
  executions: InspectedExecution[];
  /** The pipeline records, oldest first (by `createdAt`, then id). */
  pipelines: InspectedPipeline[];
  /** Files that are not journal files, or records that cannot be read (torn, empty, garbage). */
  unreadable: UnreadableRecord[];
  /** How many executions have each status. */
  counts: Record<ExecutionStatus, number>;
}
