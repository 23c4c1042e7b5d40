import { authenticate } from './auth.js';
import { dashboardPage } from './dashboard/dashboard-page.js';
import { eventRoutes } from './event-routes.js';
import { executionRoutes } from './execution-routes.js';
import { errorResponse, notFound } from './http-errors.js';
import { type AnyEngine, type HttpHandlerOptions, resolveHttpOptions } from './http-options.js';
import { LiveEvents } from './live-events.js';
import { pipelineRoutes } from './pipeline-routes.js';
import { type Route, Router } from './router.js';
import { StreamCounter } from './stream-counter.js';
import { systemRoutes } from './system-routes.js';
import { Tenancy } from './tenancy.js';

/** A fetch-standard request handler, with the count of its open event streams. */
export interface HttpHandler {
  (request: Request): Promise<Response>;
  /** Event streams open now; each holds one subscription or live listener, released on disconnect. */
  readonly openStreams: number;
}

/** Every route of the HTTP API. Route groups are independent lists. */
const ROUTES: readonly Route[] = [...executionRoutes, ...pipelineRoutes, ...eventRoutes, ...systemRoutes];

/**
 * Serves `engine` over HTTP as a fetch-standard function `(Request) => Promise<Response>`: it
 * mounts as is in Next.js route handlers, Hono, Bun and Deno. Authentication is required: give
 * `token` or `authorize`, or `auth: 'none'` explicitly. See docs/http.md for the routes.
 * @throws InvalidConfigError naming the invalid option (`auth` when no authentication is set).
 * @example
 * ```ts
 * const handler = createHttpHandler(engine, { token: process.env.ENGINE_TOKEN, basePath: '/api/engine' });
 * export const GET = handler; // Next.js: app/api/engine/[...path]/route.ts
 * export const POST = handler;
 * export const DELETE = handler;
 * ```
 */
export function createHttpHandler(engine: AnyEngine, options?: HttpHandlerOptions): HttpHandler {
  const resolved = resolveHttpOptions(options);
  const router = new Router(ROUTES);
  const tenancy = new Tenancy(engine);
  const live = new LiveEvents(engine);
  const streams = new StreamCounter();
  const { basePath } = resolved;

  const handle = async (request: Request): Promise<Response> => {
    try {
      const url = new URL(request.url);
      if (!url.pathname.startsWith(basePath)) throw notFound();
      const path = url.pathname.slice(basePath.length);
      if (resolved.dashboard && (path === '' || path === '/') && ['GET', 'HEAD'].includes(request.method)) {
        // The page holds no data: it asks for the token and calls the authenticated routes.
        if (path === '') {
          const last = basePath.slice(basePath.lastIndexOf('/') + 1); // relative: works behind a proxy
          return new Response(null, { status: 308, headers: { location: `${last}/${url.search}` } });
        }
        return dashboardPage();
      }
      if (path === '') throw notFound();
      const principal = await authenticate(request, url, resolved);
      const match = router.match(request.method, path);
      const context = {
        request,
        url,
        params: match.params,
        principal,
        engine,
        options: resolved,
        tenancy,
        live,
      };
      return await match.route.handle({ ...context, streams });
    } catch (error) {
      return errorResponse(error);
    }
  };
  return Object.defineProperty(handle, 'openStreams', { get: () => streams.open }) as HttpHandler;
}
