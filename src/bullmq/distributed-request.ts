import type { PipelineSpec, PipelineStep } from '../pipeline/pipeline-types.js';
import type { ExecutionMetadata, ExecutionRequest } from '../types.js';

/**
 * A request to a {@link DistributedEngine}: the engine's request, plus the capability a worker
 * must offer to run it. Not for `DistributedEngine`: a `progress` function, `retry.on` as a
 * function and `stdin: 'pipe'` (none can reach a worker).
 * @example
 * ```ts
 * await engine.execute({ command: exec('nuclei', ['-u', url]), requires: 'nuclei', retry: { attempts: 2 } });
 * ```
 */
export interface DistributedRequest<Meta extends ExecutionMetadata = ExecutionMetadata>
  extends ExecutionRequest<Meta> {
  /**
   * The capability a worker must list (`startWorker({ capabilities })`) to run it: 1-64
   * characters of `[A-Za-z0-9._-]`. With no such worker it waits (`queueTimeoutMs` applies when
   * a worker takes it).
   * @default 'default'
   */
  requires?: string | undefined;
}

/**
 * A pipeline for {@link DistributedEngine.startPipeline}: a plain step's request may name
 * `requires`.
 * @example
 * ```ts
 * const spec: DistributedPipelineSpec = {
 *   steps: [{ key: 'scan', request: { command: exec('nmap', [host]), requires: 'nmap' } }],
 * };
 * ```
 */
export interface DistributedPipelineSpec<Meta extends ExecutionMetadata = ExecutionMetadata>
  extends Omit<PipelineSpec<Meta>, 'steps'> {
  steps: readonly (Omit<PipelineStep<Meta>, 'request'> & {
    request: DistributedRequest<Meta> | PipelineStep<Meta>['request'];
  })[];
}
