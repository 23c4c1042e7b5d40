import { InvalidRequestError } from '../errors.js';
import type { PipelineEvent, PipelineSnapshot } from '../pipeline/pipeline-types.js';
import type { ExecutionRequest } from '../types.js';
import { isPlainObject } from '../utils/checks.js';
import { describeValue } from '../utils/describe-value.js';
import { readJsonObject } from './body.js';
import { executionStream } from './execution-stream.js';
import { forbidden, json } from './http-errors.js';
import { integerParam, lastEventId, listParam } from './query.js';
import type { Route, RouteContext } from './router.js';
import { SSE_HEADERS } from './sse-format.js';

/** The id of the route, once the principal may see that pipeline. */
function visibleId({ params, principal, tenancy }: RouteContext): string {
  const id = params.id!;
  tenancy.checkPipeline(principal, id);
  return id;
}

/**
 * Starts a pipeline from a JSON spec. A tenant's steps all get its group (a step naming another
 * group is refused with 403), so the pipeline is its group's; `allowRequest` judges every step.
 * Anything malformed is left to the engine's checks (400 naming the field).
 */
async function create(context: RouteContext): Promise<Response> {
  const { request, principal, engine, options, tenancy } = context;
  const body = await readJsonObject(request, options.maxBodyBytes);
  const steps = Array.isArray(body.steps) ? (body.steps as unknown[]) : [];
  const requests = steps
    .map((step) => (isPlainObject(step) ? step.request : undefined))
    .filter((step): step is Record<string, unknown> => isPlainObject(step));
  if (principal.group !== undefined) {
    for (const [index, step] of requests.entries()) {
      if (step.group !== undefined && step.group !== principal.group) {
        throw forbidden(
          `Expected every step's \`group\` to be absent or \`${principal.group}\`, the principal's group, got ${describeValue(step.group)} in step ${index}`,
        );
      }
      step.group = principal.group;
    }
  }
  for (const step of requests) {
    const verdict = options.allowRequest?.(step as unknown as ExecutionRequest, principal) ?? true;
    if (verdict !== true)
      throw forbidden(typeof verdict === 'string' ? verdict : 'The request is not allowed');
  }
  const id = await engine.startPipeline(body as never);
  tenancy.rememberPipeline(id, engine.getPipeline(id).group);
  return json(201, { id });
}

function list(context: RouteContext): Response {
  const { url, principal, engine, tenancy } = context;
  const status = listParam(url, 'status');
  const limit = integerParam(url, 'limit', Number.MAX_SAFE_INTEGER);
  let pipelines: PipelineSnapshot[] = engine.listPipelines(
    status === undefined ? undefined : { status: status as never },
  );
  if (principal.group !== undefined)
    pipelines = pipelines.filter((p) => tenancy.seesPipeline(principal, p.id));
  if (limit !== undefined) pipelines = limit === 0 ? [] : pipelines.slice(-limit);
  return json(200, { pipelines });
}

function get(context: RouteContext): Response {
  return json(200, context.engine.getPipeline(visibleId(context)));
}

/** The longest `?waitMs=` of a long poll. */
const MAX_WAIT_MS = 60_000;

/** 200 with the result once the pipeline has ended (waiting up to `?waitMs=`), else 202 `{ status }`. */
async function result(context: RouteContext): Promise<Response> {
  const { engine, url, request } = context;
  const id = visibleId(context);
  const waitMs = integerParam(url, 'waitMs', MAX_WAIT_MS) ?? 0;
  const { status } = engine.getPipeline(id);
  if (status !== 'running') return json(200, await engine.waitForPipeline(id));
  if (waitMs > 0) {
    try {
      return json(200, await engine.waitForPipeline(id, { timeoutMs: waitMs, signal: request.signal }));
    } catch (error) {
      // By code: the engine's error classes may come from another copy of the package (its main entry).
      if ((error as { code?: unknown }).code !== 'WAIT_TIMEOUT' && !request.signal.aborted) throw error;
    }
  }
  return json(202, { status: engine.getPipeline(id).status });
}

/** Events after `afterSeq` (a pipeline keeps all of its events: no gap to report). */
async function* after(events: AsyncIterable<PipelineEvent>, afterSeq: number): AsyncGenerator<PipelineEvent> {
  for await (const event of events) if (event.seq > afterSeq) yield event;
}

function events(context: RouteContext): Response {
  const { engine, request, url, options, streams } = context;
  const id = visibleId(context);
  const afterSeq = lastEventId(request, url);
  const open = (signal: AbortSignal) => after(engine.subscribePipeline(id, { signal }), afterSeq ?? 0);
  return new Response(
    executionStream({
      executionId: id,
      open,
      afterSeq: undefined,
      heartbeatMs: options.heartbeatMs,
      counter: streams,
    }),
    { status: 200, headers: SSE_HEADERS },
  );
}

async function cancel(context: RouteContext): Promise<Response> {
  const id = visibleId(context);
  const { reason } = await readJsonObject(context.request, context.options.maxBodyBytes, true);
  if (reason !== undefined && typeof reason !== 'string') {
    throw new InvalidRequestError(
      'reason',
      `Expected \`reason\` to be a string, got ${describeValue(reason)}`,
    );
  }
  return json(200, { cancelled: await context.engine.cancelPipeline(id, reason) });
}

/** The routes of pipelines: start, list, get, result (long poll), events (SSE), cancel. */
export const pipelineRoutes: readonly Route[] = [
  { method: 'POST', pattern: '/pipelines', handle: create },
  { method: 'GET', pattern: '/pipelines', handle: list },
  { method: 'GET', pattern: '/pipelines/:id', handle: get },
  { method: 'GET', pattern: '/pipelines/:id/result', handle: result },
  { method: 'GET', pattern: '/pipelines/:id/events', handle: events },
  { method: 'POST', pattern: '/pipelines/:id/cancel', handle: cancel },
];
