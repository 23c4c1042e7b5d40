import type { JournalRequest } from '../journal/journal-types.js';
import type { ExecutionErrorInfo } from '../types.js';
import type { PipelineStatus, StepFailurePolicy, StepStatus } from './pipeline-types.js';

/** Sub-directory of the journal directory that holds one record per pipeline. */
export const PIPELINES_DIR = 'pipelines';

/** One step as stored. */
export interface StoredStep {
  key: string;
  dependsOn: string[];
  onFailure: StepFailurePolicy;
  /** The request as given (placeholders not filled in); `null` for a function step. */
  request: JournalRequest | null;
  status: StepStatus;
  executionId?: string;
  succeeded?: boolean;
  error?: ExecutionErrorInfo;
  outputs?: Record<string, string>;
}

/** `<journal>/pipelines/<id>.json`: small JSON another program may read (a dashboard, say). */
export interface StoredPipeline {
  version: 1;
  id: string;
  status: PipelineStatus;
  /** Every step is a plain request: recovery resumes it. */
  resumable: boolean;
  failFast: boolean;
  metadata?: Record<string, unknown>;
  schedule?: string;
  createdAt: string;
  startedAt?: string;
  completedAt?: string;
  /** In the spec's order. */
  steps: StoredStep[];
}
