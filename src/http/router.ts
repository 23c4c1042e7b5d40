import { HttpError, notFound } from './http-errors.js';
import type { AnyEngine, Principal, ResolvedHttpOptions } from './http-options.js';
import type { LiveEvents } from './live-events.js';
import type { StreamCounter } from './stream-counter.js';
import type { Tenancy } from './tenancy.js';

/** What a route's handler gets. */
export interface RouteContext {
  request: Request;
  url: URL;
  /** The `:name` segments of the path, decoded. */
  params: Record<string, string>;
  principal: Principal;
  engine: AnyEngine;
  options: ResolvedHttpOptions;
  tenancy: Tenancy;
  live: LiveEvents;
  streams: StreamCounter;
}

/**
 * One route: a method and a path pattern such as `/executions/:id/events` (relative to the base
 * path). Route groups (executions, pipelines, events, system) are lists of these.
 */
export interface Route {
  method: 'GET' | 'POST' | 'DELETE';
  pattern: string;
  handle: (context: RouteContext) => Response | Promise<Response>;
}

interface CompiledRoute extends Route {
  segments: string[];
}

/** A matched route and its parameters. */
export interface RouteMatch {
  route: Route;
  params: Record<string, string>;
}

/** Finds the route of a method and path among `routes`. */
export class Router {
  readonly #routes: CompiledRoute[];

  constructor(routes: readonly Route[]) {
    this.#routes = routes.map((route) => ({ ...route, segments: route.pattern.split('/').slice(1) }));
  }

  /**
   * The route for `method` and `path` (HEAD is served as GET).
   * @throws HttpError 404 for a path no route has, 405 (with `Allow`) for a method it does not take.
   */
  match(method: string, path: string): RouteMatch {
    const segments = path.split('/').slice(1);
    const allowed: string[] = [];
    for (const route of this.#routes) {
      const params = matchSegments(route.segments, segments);
      if (params === undefined) continue;
      if (route.method === method || (method === 'HEAD' && route.method === 'GET')) return { route, params };
      allowed.push(route.method);
    }
    if (allowed.length === 0) throw notFound();
    throw new HttpError(405, 'METHOD_NOT_ALLOWED', `Expected one of ${allowed.join(', ')}, got ${method}`, {
      allow: allowed.join(', '),
    });
  }
}

function matchSegments(pattern: string[], segments: string[]): Record<string, string> | undefined {
  if (pattern.length !== segments.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const expected = pattern[i]!;
    const actual = segments[i]!;
    if (expected.startsWith(':')) {
      if (actual === '') return undefined;
      try {
        params[expected.slice(1)] = decodeURIComponent(actual);
      } catch {
        return undefined;
      }
    } else if (expected !== actual) {
      return undefined;
    }
  }
  return params;
}
