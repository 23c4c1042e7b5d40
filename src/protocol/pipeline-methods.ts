import type { PipelineListFilter } from '../pipeline/pipeline-types.js';
import { MAX_WAIT_MS, type Method, pipelineSpec, waitAtMost } from './method-context.js';
import { optionalCount, optionalObject, optionalString, stringParam } from './params.js';

/**
 * The pipeline methods: `startPipeline { spec }`, `getPipeline { id }`, `listPipelines { filter? }`,
 * `waitForPipeline { id, timeoutMs? }`, `getPipelineResult { id, waitMs? }` (the result, or `null`
 * while it runs) and `cancelPipeline { id, reason? }`.
 */
export const pipelineMethods: Readonly<Record<string, Method>> = {
  startPipeline: (p, { engine, options }) => engine.startPipeline(pipelineSpec(p, options)),
  getPipeline: (p, { engine }) => engine.getPipeline(stringParam(p, 'id')),
  listPipelines: (p, { engine }) => engine.listPipelines(optionalObject(p, 'filter') as PipelineListFilter),
  waitForPipeline: (p, { engine, signal }) =>
    engine.waitForPipeline(stringParam(p, 'id'), { timeoutMs: optionalCount(p, 'timeoutMs'), signal }),
  getPipelineResult: async (p, { engine, signal }) => {
    const id = stringParam(p, 'id');
    const waitMs = optionalCount(p, 'waitMs', MAX_WAIT_MS) ?? 0;
    if (engine.getPipeline(id).status !== 'running') return engine.waitForPipeline(id);
    return waitAtMost(waitMs, signal, (o) => engine.waitForPipeline(id, o));
  },
  cancelPipeline: (p, { engine }) => engine.cancelPipeline(stringParam(p, 'id'), optionalString(p, 'reason')),
};
