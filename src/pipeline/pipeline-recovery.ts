import type { JournalRecord, RecoveryReport } from '../journal/journal-types.js';
import type { RecoverOptions } from '../recovery/recovery.js';
import { fromStoredPipeline } from './pipeline-record.js';
import { PipelineRun } from './pipeline-run.js';
import type { Pipelines } from './pipelines.js';

/**
 * Recovery with pipelines: reads the pipeline records first, so that the queued steps of a
 * pipeline that cannot be resumed are cancelled rather than run again; recovers the executions
 * (`recoverExecutions`); then resumes each pipeline a previous host left running whose steps are
 * all plain requests (ended steps keep their results, running ones were adopted, pending ones
 * start when their dependencies are met), ends the others `failed` (unfinished steps `cancelled`
 * with `LOST`), and restores ended ones for queries and retention.
 */
export async function recoverPipelines(
  pipelines: Pipelines,
  recoverExecutions: (options: RecoverOptions) => Promise<RecoveryReport>,
): Promise<RecoveryReport> {
  const store = pipelines.store;
  if (store === undefined) return { ...(await recoverExecutions({})), pipelines: [] };
  const { records, unreadable } = await store.readAll();
  const lost = new Set(records.filter((r) => r.status === 'running' && !r.resumable).map((r) => r.id));
  const holdBack = (stored: JournalRecord) => lost.has(stored.request.pipeline?.id ?? '');
  const report = await recoverExecutions({ holdBack });
  const outcomes: NonNullable<RecoveryReport['pipelines']> = [];
  for (const stored of records) {
    const { spec, known } = fromStoredPipeline(stored);
    const run = new PipelineRun(stored.id, spec, pipelines.host, {
      createdAt: new Date(stored.createdAt),
      schedule: stored.schedule,
    });
    const startedAt = stored.startedAt === undefined ? undefined : new Date(stored.startedAt);
    if (stored.status !== 'running') {
      const completedAt = new Date(stored.completedAt ?? stored.createdAt);
      run.restoreEnded(known, stored.status, { startedAt, completedAt });
      pipelines.register(run);
      continue;
    }
    pipelines.register(run);
    if (stored.resumable) {
      run.begin(known, startedAt);
      outcomes.push({ id: stored.id, outcome: 'resumed' });
    } else {
      run.endLost(known, startedAt);
      outcomes.push({ id: stored.id, outcome: 'lost' });
    }
  }
  return { ...report, unreadable: [...report.unreadable, ...unreadable], pipelines: outcomes };
}
