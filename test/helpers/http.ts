import { afterEach } from 'vitest';
import { type HttpServer, type ServeOptions, serve } from '../../src/http/index.js';
import type { ExecutionEngine } from '../../src/index.js';

const servers = new Set<HttpServer>();

/** `serve(engine, options)` on a free loopback port, closed after each test. */
export async function startServer(engine: ExecutionEngine, options: ServeOptions = {}): Promise<HttpServer> {
  const server = await serve(engine, options);
  servers.add(server);
  return server;
}

afterEach(async () => {
  const all = [...servers];
  servers.clear();
  await Promise.all(all.map((server) => server.close()));
});

/** One parsed SSE message. */
export interface SseMessage {
  id?: string;
  event: string;
  data: unknown;
}

/** Parses SSE text into messages; comment lines are counted in `comments`. */
export function parseSse(text: string): { messages: SseMessage[]; comments: number; rest: string } {
  const messages: SseMessage[] = [];
  let comments = 0;
  const blocks = text.split('\n\n');
  const rest = blocks.pop() ?? '';
  for (const block of blocks) {
    const message: SseMessage = { event: 'message', data: undefined };
    let data: string | undefined;
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) comments++;
      else if (line.startsWith('id: ')) message.id = line.slice(4);
      else if (line.startsWith('event: ')) message.event = line.slice(7);
      else if (line.startsWith('data: ')) data = line.slice(6);
    }
    if (data !== undefined) {
      message.data = JSON.parse(data);
      messages.push(message);
    }
  }
  return { messages, comments, rest };
}

/** Reads a whole SSE response (it ends after the terminal event). */
export async function readSse(response: Response): Promise<{ messages: SseMessage[]; comments: number }> {
  const text = await response.text();
  const { messages, comments } = parseSse(`${text}`);
  return { messages, comments };
}

/** The lines of `output` messages, and of `stdout`/`stderr` ones, in order. */
export function linesOf(messages: readonly SseMessage[], stream = 'stdout'): string[] {
  const lines: string[] = [];
  for (const { event, data } of messages) {
    const value = data as { stream?: string; lines?: string[]; line?: string };
    if (event === 'output' && value.stream === stream) lines.push(...value.lines!);
    if (event === stream) lines.push(value.line!);
  }
  return lines;
}

/** `fetch` with the bearer token. */
export function authed(server: HttpServer, path: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  headers.set('authorization', `Bearer ${server.token}`);
  return fetch(new URL(path, server.url), { ...init, headers });
}

/** POSTs JSON with the bearer token. */
export function postJson(server: HttpServer, path: string, body: unknown): Promise<Response> {
  return authed(server, path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}
