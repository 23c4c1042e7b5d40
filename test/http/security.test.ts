import { request as rawRequest } from 'node:http';
import { describe, expect, it } from 'vitest';
import { createHttpHandler } from '../../src/http/index.js';
import { exec, InvalidConfigError } from '../../src/index.js';
import { createEngine } from '../helpers/engine.js';
import { fixture, node } from '../helpers/fixtures.js';
import { authed, postJson, startServer } from '../helpers/http.js';

const lines = (n: number) => exec(node, [fixture('print-lines.js'), String(n)]);

async function errorOf(response: Response): Promise<{ status: number; code: string; field?: string }> {
  const { error } = (await response.json()) as { error: { code: string; field?: string } };
  return { status: response.status, ...error };
}

describe('authentication', () => {
  it('needs token, authorize or an explicit auth: none', () => {
    const engine = createEngine();
    expect(() => createHttpHandler(engine)).toThrow(InvalidConfigError);
    expect(() => createHttpHandler(engine, {})).toThrow(/auth: 'none'/);
    expect(() => createHttpHandler(engine, { token: 'short' })).toThrow(/at least 16/);
    expect(() => createHttpHandler(engine, { auth: 'none' })).not.toThrow();
  });

  it('serve() binds loopback and generates a 32-byte token', async () => {
    const server = await startServer(createEngine());
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(Buffer.from(server.token!, 'base64url')).toHaveLength(32);
  });

  it('refuses no token and a wrong token with 401 and WWW-Authenticate, and nothing runs', async () => {
    const engine = createEngine();
    const server = await startServer(engine);
    const body = JSON.stringify({ command: lines(1) });
    const headers = { 'content-type': 'application/json' };
    const none = await fetch(new URL('executions', server.url), { method: 'POST', headers, body });
    expect(await errorOf(none)).toMatchObject({ status: 401, code: 'UNAUTHORIZED' });
    expect(none.headers.get('www-authenticate')).toBe('Bearer');
    const wrong = await fetch(new URL('executions', server.url), {
      method: 'POST',
      headers: { ...headers, authorization: `Bearer ${server.token!.slice(1)}x` },
      body,
    });
    expect(wrong.status).toBe(401);
    expect((await fetch(new URL('health', server.url))).status).toBe(401);
    expect(engine.list()).toEqual([]);
  });

  it('takes ?access_token= on GET only: on POST it is refused', async () => {
    const engine = createEngine();
    const server = await startServer(engine);
    const ok = await fetch(new URL(`health?access_token=${server.token}`, server.url));
    expect(ok.status).toBe(200);
    const post = await fetch(new URL(`executions?access_token=${server.token}`, server.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ command: lines(1) }),
    });
    expect(await errorOf(post)).toMatchObject({ status: 401, code: 'UNAUTHORIZED' });
    expect(engine.list()).toEqual([]);
  });

  it('allowRequest refuses with 403 and its reason', async () => {
    const engine = createEngine();
    const server = await startServer(engine, {
      allowRequest: (request) => (request.command.type === 'exec' ? true : 'only exec commands'),
    });
    const refused = await postJson(server, 'executions', { command: { type: 'shell', command: 'id' } });
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: { message: string } }).error).toMatchObject({
      code: 'FORBIDDEN',
      message: 'only exec commands',
    });
    expect((await postJson(server, 'executions', { command: lines(1) })).status).toBe(201);
    expect(engine.list()).toHaveLength(1);
  });
});

describe('bad requests never reach the engine', () => {
  it('answers malformed JSON, a non-object, a wrong content type and invalid fields with JSON errors', async () => {
    const engine = createEngine();
    const server = await startServer(engine);
    const post = (body: string, type = 'application/json') =>
      authed(server, 'executions', { method: 'POST', headers: { 'content-type': type }, body });
    expect(await errorOf(await post('{"command":'))).toMatchObject({
      status: 400,
      code: 'INVALID_REQUEST',
      field: 'body',
    });
    expect(await errorOf(await post('[1,2]'))).toMatchObject({ status: 400, field: 'body' });
    expect(await errorOf(await post('{"command":"x"}', 'text/plain'))).toMatchObject({
      status: 415,
      code: 'UNSUPPORTED_MEDIA_TYPE',
    });
    expect(await errorOf(await post(JSON.stringify({ command: lines(1), timeoutMs: -1 })))).toMatchObject({
      status: 400,
      field: 'timeoutMs',
    });
    expect(await errorOf(await post('{"a":'.repeat(100_000)))).toMatchObject({ status: 400, field: 'body' });
    expect(engine.list()).toEqual([]);
  });

  it('answers a 2 MB body with 413 without reading it whole', async () => {
    const engine = createEngine();
    const server = await startServer(engine);
    const big = JSON.stringify({ command: lines(1), metadata: { pad: 'x'.repeat(2 * 1024 * 1024) } });
    const response = await authed(server, 'executions', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: big,
    });
    expect(await errorOf(response)).toMatchObject({ status: 413, code: 'PAYLOAD_TOO_LARGE' });
    // Streamed without Content-Length: cut at the limit as well.
    const chunked = await authed(server, 'executions', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: new Blob([big]).stream(),
      duplex: 'half',
    } as RequestInit);
    expect(chunked.status).toBe(413);
    expect(engine.list()).toEqual([]);
    expect((await authed(server, 'health')).status).toBe(200); // the host is fine
  });

  it('answers an unknown route 404, a wrong method 405 with Allow, and ids with ../ 404', async () => {
    const engine = createEngine();
    const server = await startServer(engine);
    expect(await errorOf(await authed(server, 'nope'))).toMatchObject({ status: 404, code: 'NOT_FOUND' });
    const wrong = await authed(server, 'health', { method: 'DELETE' });
    expect(await errorOf(wrong)).toMatchObject({ status: 405, code: 'METHOD_NOT_ALLOWED' });
    expect(wrong.headers.get('allow')).toBe('GET');
    const put = await authed(server, 'executions', { method: 'PUT' });
    expect(put.headers.get('allow')).toBe('POST, GET');
    const dotted = await authed(server, `executions/${encodeURIComponent('../../etc/passwd')}`);
    expect(await errorOf(dotted)).toMatchObject({ status: 404, code: 'EXECUTION_NOT_FOUND' });
    // Unencoded ../ is resolved by the URL before routing and never escapes the base path.
    const raw = await new Promise<number>((resolve, reject) => {
      const req = rawRequest(new URL('executions/../../../etc/passwd', server.url), {
        headers: { authorization: `Bearer ${server.token}` },
      });
      req.path = '/executions/../../../etc/passwd';
      req.on('response', (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
    expect(raw).toBe(404);
  });

  it('maps engine errors: 429 at the queue limit, 503 after shutdown', async () => {
    const engine = createEngine({ maxConcurrentExecutions: 1, onConcurrencyLimit: 'reject' });
    const server = await startServer(engine);
    await engine.execute({ command: exec(node, [fixture('print-then-wait.js'), '1']) });
    const limited = await postJson(server, 'executions', { command: lines(1) });
    expect(await errorOf(limited)).toMatchObject({ status: 429, code: 'CONCURRENCY_LIMIT_REACHED' });
    await engine.shutdown({ graceMs: 0 });
    const down = await postJson(server, 'executions', { command: lines(1) });
    expect(await errorOf(down)).toMatchObject({ status: 503, code: 'ENGINE_SHUT_DOWN' });
  });
});
