import { InvalidRequestError } from '../errors.js';
import { pipelineMethods } from './http-pipeline-methods.js';
import { type HttpStream, openStream, type StreamTarget } from './http-stream.js';
import { isErrorData, RemoteError, rebuildError } from './remote-errors.js';
import type { NotificationListener, Transport } from './transport.js';

/** Options of {@link httpTransport}. */
export interface HttpTransportOptions {
  /** The server's base URL, e.g. `http://127.0.0.1:8080/` or `/api/engine/` in a page. */
  url: string;
  /** Sent as `Authorization: Bearer <token>`. */
  token?: string | undefined;
  /** The `fetch` to use. @default globalThis.fetch */
  fetch?: typeof fetch | undefined;
  /** Longest wait between reconnection attempts of a dropped stream, in ms. @default 5000 */
  maxRetryDelayMs?: number | undefined;
}

type Params = Record<string, unknown>;

/**
 * A {@link Transport} over the HTTP + SSE API of `execution-engine/http`. Uses only `fetch`, so it
 * runs in browsers and in Node. Subscriptions resume after a dropped connection from the last
 * `seq` they delivered (`Last-Event-ID`): no gap, no duplicate.
 * @example
 * ```ts
 * const client = new EngineClient(httpTransport({ url: 'http://127.0.0.1:8080/', token }));
 * ```
 */
export function httpTransport(options: HttpTransportOptions): Transport {
  const base = new URL(options.url, (globalThis as { location?: { href: string } }).location?.href);
  if (!base.pathname.endsWith('/')) base.pathname += '/';
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  const headers: Record<string, string> =
    options.token === undefined ? {} : { authorization: `Bearer ${options.token}` };
  const listeners = new Set<NotificationListener>();
  const streams = new Map<string, HttpStream>();
  let nextSubscription = 1;

  const call = async (
    method: string,
    path: string,
    body?: unknown,
    raw?: string | Uint8Array,
  ): Promise<Response> => {
    const init: RequestInit = { method, headers: { ...headers } };
    if (body !== undefined) {
      init.body = JSON.stringify(body);
      (init.headers as Record<string, string>)['content-type'] = 'application/json';
    } else if (raw !== undefined) {
      init.body = raw;
    }
    const response = await doFetch(new URL(path, base), init);
    if (response.ok) return response;
    const text = await response.text();
    let data: unknown;
    try {
      data = (JSON.parse(text) as { error?: unknown }).error;
    } catch {}
    throw isErrorData(data)
      ? rebuildError(data, response.status)
      : new RemoteError({ code: 'HTTP_ERROR', message: `HTTP ${response.status}` }, response.status);
  };
  const id = (params: Params) => encodeURIComponent(String(params.id));
  const target: StreamTarget = {
    deliver: async (method, params) => {
      for (const listener of listeners) await listener(method, params);
    },
    fetch: (path, extraHeaders, signal) =>
      doFetch(new URL(path, base), { headers: { ...headers, ...extraHeaders }, signal }),
    maxRetryDelayMs: options.maxRetryDelayMs ?? 5000,
  };

  const methods: Record<string, (params: Params) => Promise<unknown>> = {
    execute: async (p) => ((await (await call('POST', 'executions', p.request)).json()) as { id: string }).id,
    getExecution: async (p) => (await call('GET', `executions/${id(p)}`)).json(),
    getResult: async (p) => {
      const response = await call('GET', `executions/${id(p)}/result?waitMs=${Number(p.waitMs ?? 0)}`);
      return response.status === 200 ? response.json() : undefined;
    },
    list: async (p) => {
      const status = (p.filter as { status?: string | string[] } | undefined)?.status;
      const query = status === undefined ? '' : `&status=${[status].flat().join(',')}`;
      return ((await (await call('GET', `executions?output=1${query}`)).json()) as { executions: unknown[] })
        .executions;
    },
    cancel: async (p) =>
      (
        (await (await call('POST', `executions/${id(p)}/cancel`, { reason: p.reason })).json()) as {
          cancelled: boolean;
        }
      ).cancelled,
    removeExecution: async (p) => {
      try {
        await call('DELETE', `executions/${id(p)}`);
        return true;
      } catch (error) {
        if (error instanceof RemoteError && error.status === 409) {
          throw new InvalidRequestError('id', error.message, { executionId: String(p.id) });
        }
        if ((error as { code?: string }).code === 'EXECUTION_NOT_FOUND') return false;
        throw error;
      }
    },
    writeInput: async (p) => {
      await call('POST', `executions/${id(p)}/input`, undefined, p.data as string | Uint8Array);
    },
    closeInput: async (p) => {
      await call('POST', `executions/${id(p)}/input/close`);
    },
    stats: async () => ((await (await call('GET', 'health')).json()) as { stats: unknown }).stats,
    subscribe: async (p) => {
      const subscription = String(nextSubscription++);
      const lines = p.lines === 'each' ? '?lines=each' : '';
      const after = typeof p.afterSeq === 'number' ? p.afterSeq : undefined;
      streams.set(
        subscription,
        openStream(target, subscription, `executions/${id(p)}/events${lines}`, after, true),
      );
      return subscription;
    },
    subscribeEvents: async (p) => {
      const subscription = String(nextSubscription++);
      const query = new URLSearchParams();
      if (Array.isArray(p.types)) query.set('types', p.types.join(','));
      if (p.lines === 'each') query.set('lines', 'each');
      const path = `events${query.size > 0 ? `?${query}` : ''}`;
      streams.set(subscription, openStream(target, subscription, path, undefined, false));
      return subscription;
    },
    unsubscribe: async (p) => {
      const subscription = String(p.subscription);
      streams.get(subscription)?.close();
      streams.delete(subscription);
    },
    ...pipelineMethods({
      call,
      follow: (path, afterSeq, isLast) => {
        const subscription = String(nextSubscription++);
        streams.set(subscription, openStream(target, subscription, path, afterSeq, true, isLast));
        return subscription;
      },
    }),
  };

  return {
    async request(method, params) {
      const run = methods[method];
      if (run === undefined)
        throw new RemoteError({ code: 'METHOD_NOT_FOUND', message: `No method \`${method}\`` });
      return run(params);
    },
    onNotification(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      for (const stream of streams.values()) stream.close();
      streams.clear();
      listeners.clear();
    },
  };
}
