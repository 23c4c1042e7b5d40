import { ExecutionError } from '../errors.js';
import type { PipelineSpec } from '../pipeline/pipeline-types.js';
import type { ExecutionRequest } from '../types.js';
import { objectParam, type Params } from './params.js';
import type { AnyEngine, ResolvedProtocolOptions } from './serve-options.js';
import type { Subscriptions } from './subscriptions.js';

/** What a method runs against: the engine, the connection's subscriptions, its lifetime. */
export interface MethodContext {
  engine: AnyEngine;
  subscriptions: Subscriptions;
  options: ResolvedProtocolOptions;
  /** Aborted when the connection closes: long waits end with it. */
  signal: AbortSignal;
}

/** A method: checked params in, a JSON-able result out. */
export type Method = (params: Params, context: MethodContext) => unknown;

/** The longest wait of `getResult { waitMs }` and `getPipelineResult { waitMs }`. */
export const MAX_WAIT_MS = 60_000;

/** Refuses a request `allowRequest` refuses, with `FORBIDDEN`. */
export function checkAllowed(options: ResolvedProtocolOptions, request: unknown): void {
  const verdict = options.allowRequest?.(request as ExecutionRequest) ?? true;
  if (verdict !== true) {
    throw new ExecutionError(
      'FORBIDDEN' as never,
      typeof verdict === 'string' ? verdict : 'The request is not allowed',
    );
  }
}

/** Waits up to `waitMs` for `wait`; `undefined` when that time passed (or the connection closed). */
export async function waitAtMost<T>(
  waitMs: number,
  signal: AbortSignal,
  wait: (options: { timeoutMs: number; signal: AbortSignal }) => Promise<T>,
): Promise<T | undefined> {
  if (waitMs === 0) return undefined;
  try {
    return await wait({ timeoutMs: waitMs, signal });
  } catch (error) {
    // By code: the engine's error classes may come from another copy of the package.
    if ((error as { code?: unknown }).code === 'WAIT_TIMEOUT' || signal.aborted) return undefined;
    throw error;
  }
}

/** The pipeline spec of `startPipeline`, each step's request checked by `allowRequest`. */
export function pipelineSpec(p: Params, options: ResolvedProtocolOptions): PipelineSpec {
  const spec = objectParam(p, 'spec');
  if (Array.isArray(spec.steps)) {
    for (const step of spec.steps as { request?: unknown }[]) {
      if (typeof step === 'object' && step !== null && step.request !== undefined)
        checkAllowed(options, step.request);
    }
  }
  return spec as unknown as PipelineSpec;
}
