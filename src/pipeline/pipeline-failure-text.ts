import type { PipelineResult } from './pipeline-types.js';

/**
 * The message of a `PipelineFailedError`: the pipeline's status and the steps that did not end
 * `completed` or `skipped`. Pure (the client builds the same message in a browser).
 */
export function describePipelineFailure(result: PipelineResult): string {
  const failed = result.steps.filter((step) => step.status !== 'completed' && step.status !== 'skipped');
  const which = failed.map((step) => `${step.key} (${step.status})`).join(', ') || 'a step did not succeed';
  return `Pipeline \`${result.id}\` ${result.status}: ${which}`;
}
