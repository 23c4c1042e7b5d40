import { ExecutionNotFoundError, InvalidRequestError } from '../errors.js';
import { withoutOutput } from '../protocol/wire-event.js';
import type { ExecutionRequest, ExecutionSnapshot } from '../types.js';
import { isTerminal } from '../types.js';
import { describeValue } from '../utils/describe-value.js';
import { readBytes, readJsonObject } from './body.js';
import { forbidden, HttpError, json } from './http-errors.js';
import { integerParam, listParam } from './query.js';
import type { Route, RouteContext } from './router.js';

/** The longest `?waitMs=` of a long poll. */
const MAX_WAIT_MS = 60_000;

/** The id of the route, once the principal may see it. */
function visibleId({ params, principal, tenancy }: RouteContext): string {
  const id = params.id!;
  tenancy.check(principal, id);
  return id;
}

async function create(context: RouteContext): Promise<Response> {
  const { request, principal, engine, options, tenancy } = context;
  const body = await readJsonObject(request, options.maxBodyBytes);
  if (principal.group !== undefined) {
    if (body.group !== undefined && body.group !== principal.group) {
      throw forbidden(`Expected \`group\` to be absent or \`${principal.group}\`, the principal's group`);
    }
    body.group = principal.group;
  }
  const verdict = options.allowRequest?.(body as unknown as ExecutionRequest, principal) ?? true;
  if (verdict !== true) throw forbidden(typeof verdict === 'string' ? verdict : 'The request is not allowed');
  const id = await engine.execute(body as unknown as ExecutionRequest);
  tenancy.remember(id, principal.group ?? (typeof body.group === 'string' ? body.group : undefined));
  return json(201, { id });
}

function list(context: RouteContext): Response {
  const { url, principal, engine } = context;
  const status = listParam(url, 'status');
  const group = url.searchParams.get('group') ?? undefined;
  const limit = integerParam(url, 'limit', Number.MAX_SAFE_INTEGER);
  const output = url.searchParams.get('output') === '1';
  let executions: ExecutionSnapshot[] = engine.list(
    status === undefined ? undefined : { status: status as never },
  );
  if (principal.group !== undefined) executions = executions.filter((e) => e.group === principal.group);
  if (group !== undefined) executions = executions.filter((e) => e.group === group);
  if (limit !== undefined) executions = limit === 0 ? [] : executions.slice(-limit);
  return json(200, { executions: output ? executions : executions.map(withoutOutput) });
}

function get(context: RouteContext): Response {
  const snapshot = context.engine.getExecution(context.params.id!);
  const group = context.principal.group;
  if (group !== undefined && snapshot.group !== group) throw new ExecutionNotFoundError(snapshot.id);
  return json(200, snapshot);
}

async function result(context: RouteContext): Promise<Response> {
  const { engine, url, request } = context;
  const id = visibleId(context);
  const waitMs = integerParam(url, 'waitMs', MAX_WAIT_MS) ?? 0;
  const done = engine.getResult(id);
  if (done !== undefined) return json(200, done);
  if (waitMs > 0) {
    try {
      return json(200, await engine.waitForCompletion(id, { timeoutMs: waitMs, signal: request.signal }));
    } catch (error) {
      // By code: the engine's error classes may come from another copy of the package (its main entry).
      if ((error as { code?: unknown }).code !== 'WAIT_TIMEOUT' && !request.signal.aborted) throw error;
    }
  }
  return json(202, { status: engine.getStatus(id) });
}

async function cancel(context: RouteContext): Promise<Response> {
  const id = visibleId(context);
  const body = await readJsonObject(context.request, context.options.maxBodyBytes, true);
  const { reason } = body;
  if (reason !== undefined && typeof reason !== 'string') {
    throw new InvalidRequestError(
      'reason',
      `Expected \`reason\` to be a string, got ${describeValue(reason)}`,
    );
  }
  return json(200, { cancelled: await context.engine.cancel(id, reason) });
}

async function input(context: RouteContext): Promise<Response> {
  const id = visibleId(context);
  const data = await readBytes(context.request, context.options.maxBodyBytes);
  await context.engine.writeInput(id, data);
  return new Response(null, { status: 204 });
}

async function closeInput(context: RouteContext): Promise<Response> {
  await context.engine.closeInput(visibleId(context));
  return new Response(null, { status: 204 });
}

function remove(context: RouteContext): Response {
  const id = visibleId(context);
  const status = context.engine.getStatus(id);
  if (!isTerminal(status)) {
    throw new HttpError(409, 'CONFLICT', `Cannot remove execution \`${id}\` while it is ${status}`);
  }
  context.engine.removeExecution(id);
  context.tenancy.forget(id);
  return new Response(null, { status: 204 });
}

/** The routes of executions (their event streams are in `event-routes.ts`). */
export const executionRoutes: readonly Route[] = [
  { method: 'POST', pattern: '/executions', handle: create },
  { method: 'GET', pattern: '/executions', handle: list },
  { method: 'GET', pattern: '/executions/:id', handle: get },
  { method: 'DELETE', pattern: '/executions/:id', handle: remove },
  { method: 'GET', pattern: '/executions/:id/result', handle: result },
  { method: 'POST', pattern: '/executions/:id/cancel', handle: cancel },
  { method: 'POST', pattern: '/executions/:id/input', handle: input },
  { method: 'POST', pattern: '/executions/:id/input/close', handle: closeInput },
];
