import { isFinalPipelineMessage } from './http-stream.js';

type Params = Record<string, unknown>;

/** What the pipeline methods need from the HTTP transport. */
export interface PipelineMethodHost {
  /** One request; rejects with the rebuilt error unless the answer is 2xx. */
  call(method: string, path: string, body?: unknown): Promise<Response>;
  /** Opens a resuming SSE subscription on `path`; returns its id. */
  follow(
    path: string,
    afterSeq: number | undefined,
    isLast: (type: string, data: unknown) => boolean,
  ): string;
}

/**
 * The transport's pipeline methods over the HTTP routes: `startPipeline { spec }`,
 * `getPipeline { id }`, `listPipelines { filter? }`, `getPipelineResult { id, waitMs? }` (the
 * result, or `undefined` while it runs), `cancelPipeline { id, reason? }` and
 * `subscribePipeline { id, afterSeq? }` (a subscription, ending after the final event).
 */
export function pipelineMethods(
  host: PipelineMethodHost,
): Record<string, (params: Params) => Promise<unknown>> {
  const id = (params: Params) => encodeURIComponent(String(params.id));
  const body = async <T>(response: Promise<Response>) => (await (await response).json()) as T;
  return {
    startPipeline: async (p) => (await body<{ id: string }>(host.call('POST', 'pipelines', p.spec))).id,
    getPipeline: (p) => body(host.call('GET', `pipelines/${id(p)}`)),
    listPipelines: async (p) => {
      const status = (p.filter as { status?: string | string[] } | undefined)?.status;
      const query = status === undefined ? '' : `?status=${[status].flat().join(',')}`;
      return (await body<{ pipelines: unknown[] }>(host.call('GET', `pipelines${query}`))).pipelines;
    },
    getPipelineResult: async (p) => {
      const response = await host.call('GET', `pipelines/${id(p)}/result?waitMs=${Number(p.waitMs ?? 0)}`);
      return response.status === 200 ? response.json() : undefined;
    },
    cancelPipeline: async (p) =>
      (
        await body<{ cancelled: boolean }>(
          host.call('POST', `pipelines/${id(p)}/cancel`, { reason: p.reason }),
        )
      ).cancelled,
    subscribePipeline: async (p) =>
      host.follow(
        `pipelines/${id(p)}/events`,
        typeof p.afterSeq === 'number' ? p.afterSeq : undefined,
        isFinalPipelineMessage,
      ),
  };
}
