import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { isValidExecutionId } from '../arguments/id-pattern.js';
import type { UnreadableRecord } from '../journal/journal-types.js';
import { PIPELINES_DIR, type StoredPipeline, type StoredStep } from '../pipeline/pipeline-record-types.js';
import type { PipelineStepSnapshot, PipelineSummary, StepStatus } from '../pipeline/pipeline-types.js';
import type { InspectedPipeline } from './inspect-types.js';

/** Step states that count as ended in `progress`. */
const ENDED = new Set(['completed', 'failed', 'timeout', 'cancelled', 'skipped']);

/** The status of a step's execution as its own record tells it, if there is one. */
export type StepLookup = (executionId: string, pipelineId: string) => StepStatus | undefined;

/**
 * Reads `<dir>/pipelines/*.json` (the records a journaling engine keeps of its pipelines) as
 * pipeline snapshots, oldest first. A pipeline record is rewritten when a step ends, so a step it
 * shows unended takes its status from its execution's record (`lookup`), rewritten at every state
 * change. A record that cannot be read or is not a pipeline record is listed in `unreadable`; no
 * directory means no pipelines.
 */
export async function readPipelines(
  dir: string,
  lookup: StepLookup,
): Promise<{ pipelines: InspectedPipeline[]; unreadable: UnreadableRecord[] }> {
  const pipelinesDir = join(dir, PIPELINES_DIR);
  let names: string[];
  try {
    names = await readdir(pipelinesDir);
  } catch {
    return { pipelines: [], unreadable: [] };
  }
  const pipelines: InspectedPipeline[] = [];
  const unreadable: UnreadableRecord[] = [];
  for (const name of names.sort()) {
    const file = join(pipelinesDir, name);
    if (!name.endsWith('.json')) {
      if (!name.endsWith('.tmp')) unreadable.push({ file, reason: 'not a pipeline record' });
      continue;
    }
    try {
      const [text, info] = await Promise.all([readFile(file, 'utf8'), stat(file)]);
      const record = JSON.parse(text) as StoredPipeline;
      if (record?.version !== 1 || !isValidExecutionId(record.id) || !Array.isArray(record.steps)) {
        unreadable.push({ file, reason: 'not a pipeline record' });
      } else {
        pipelines.push(inspected(record, info.mtimeMs, lookup));
      }
    } catch (error) {
      const { code, message } = error as NodeJS.ErrnoException;
      if (code !== 'ENOENT') unreadable.push({ file, reason: code ?? message });
    }
  }
  pipelines.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : 1));
  return { pipelines, unreadable };
}

/** A stored pipeline as a snapshot, with its record's modification time and `resumable`. */
function inspected(record: StoredPipeline, mtimeMs: number, lookup: StepLookup): InspectedPipeline {
  const steps = record.steps.map((step) => stepSnapshot(step, record.id, lookup));
  const summary: PipelineSummary = {
    total: record.steps.length,
    pending: 0,
    queued: 0,
    running: 0,
    completed: 0,
    failed: 0,
    timeout: 0,
    cancelled: 0,
    skipped: 0,
  };
  for (const step of steps) summary[step.status]++;
  const ended = steps.filter((step) => ENDED.has(step.status)).length;
  const pipeline: InspectedPipeline = {
    id: record.id,
    status: record.status,
    steps,
    summary,
    progress: summary.total === 0 ? 1 : ended / summary.total,
    createdAt: new Date(record.createdAt),
    updatedAt: new Date(mtimeMs),
    resumable: record.resumable,
  };
  if (record.startedAt !== undefined) pipeline.startedAt = new Date(record.startedAt);
  if (record.completedAt !== undefined) pipeline.completedAt = new Date(record.completedAt);
  if (record.metadata !== undefined) pipeline.metadata = record.metadata;
  if (record.schedule !== undefined) pipeline.schedule = record.schedule;
  const groups = new Set(record.steps.map((step) => step.request?.group));
  const [group] = groups;
  if (groups.size === 1 && group !== undefined) pipeline.group = group;
  return pipeline;
}

function stepSnapshot(step: StoredStep, pipelineId: string, lookup: StepLookup): PipelineStepSnapshot {
  let { status, executionId } = step;
  if (!ENDED.has(status)) {
    const id = executionId ?? `${pipelineId}.${step.key}`;
    const live = lookup(id, pipelineId);
    if (live !== undefined) {
      status = live;
      executionId = id;
    }
  }
  const out: PipelineStepSnapshot = {
    key: step.key,
    status,
    dependsOn: [...step.dependsOn],
    onFailure: step.onFailure,
  };
  if (executionId !== undefined) out.executionId = executionId;
  if (step.error !== undefined) out.error = step.error;
  return out;
}
