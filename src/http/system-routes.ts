import { json, notFound } from './http-errors.js';
import type { Route, RouteContext } from './router.js';

async function metrics({ options }: RouteContext): Promise<Response> {
  const registry = options.metrics;
  if (registry === undefined) throw notFound();
  const text = await registry.metrics();
  return new Response(text, {
    status: 200,
    headers: { 'content-type': registry.contentType, 'cache-control': 'no-store' },
  });
}

function health({ engine }: RouteContext): Response {
  return json(200, { status: 'ok', stats: engine.stats() });
}

/** `/health` and `/metrics`. */
export const systemRoutes: readonly Route[] = [
  { method: 'GET', pattern: '/health', handle: health },
  { method: 'GET', pattern: '/metrics', handle: metrics },
];
