// Acceptance suite of REMOTE.md, sections "HTTP + SSE" and "CLI" (`serve`), written from the spec
// alone and run against the built package: the `execution-engine` command (dist/cli.js) as a real
// process, and `createHttpHandler` from dist/http.js called with fetch Requests.
import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { ExecutionEngine, InvalidConfigError } from 'execution-engine';
import { createHttpHandler } from 'execution-engine/http';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

/** A JSON answer, read loosely: the assertions say what it must hold. */
// biome-ignore lint/suspicious/noExplicitAny: JSON bodies are checked by the assertions, not by types.
type Doc = Record<string, any>;

const cli = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
const sh = (command: string) => ({ type: 'shell', command });

let child: ChildProcess;
let base: string;
let token: string;
const auth = () => ({ authorization: `Bearer ${token}` });
const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${base}${path}`, {
    method: 'POST',
    headers: { ...auth(), 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
const get = (path: string, headers: Record<string, string> = auth()) => fetch(`${base}${path}`, { headers });

/** Parses a whole SSE body into messages. */
function messages(text: string): { id: string | undefined; event: string; data: Doc }[] {
  return text
    .split('\n\n')
    .filter((block) => /^(id|event|data):/m.test(block))
    .map((block) => {
      const field = (name: string) =>
        block
          .split('\n')
          .find((line) => line.startsWith(`${name}: `))
          ?.slice(name.length + 2);
      return {
        id: field('id'),
        event: field('event') ?? 'message',
        data: JSON.parse(field('data') ?? 'null'),
      };
    });
}
const outputLines = (list: ReturnType<typeof messages>) =>
  list.filter((m) => m.event === 'output').flatMap((m) => m.data.lines as string[]);

async function start(command: object): Promise<string> {
  const response = await post('/executions', { command });
  expect(response.status).toBe(201);
  return ((await response.json()) as { id: string }).id;
}
async function result(id: string): Promise<Doc> {
  const response = await get(`/executions/${id}/result?waitMs=20000`);
  expect(response.status).toBe(200);
  return (await response.json()) as Doc;
}

beforeAll(async () => {
  child = spawn(process.execPath, [cli, 'serve', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const first = await createInterface({ input: child.stdout! })[Symbol.asyncIterator]().next();
  const match = /^execution-engine listening on (http:\/\/127\.0\.0\.1:\d+)\/\?access_token=(\S+)$/.exec(
    String(first.value),
  );
  expect(match, String(first.value)).not.toBeNull();
  base = match![1]!;
  token = match![2]!;
});
afterAll(async () => {
  if (child.exitCode === null) {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
  }
});

describe('serve: authentication and the error mapping', () => {
  test('a random 32-byte token, required: none or a wrong one is 401 with WWW-Authenticate', async () => {
    expect(Buffer.from(token, 'hex').length === 32 || token.length >= 43).toBe(true);
    for (const headers of [{}, { authorization: 'Bearer wrong' }]) {
      const response = await get('/health', headers);
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect(((await response.json()) as Doc).error.code).toBe('UNAUTHORIZED');
    }
    const health = await get('/health');
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok', stats: expect.any(Object) });
  });

  test('?access_token= works on GET only; on POST it is refused', async () => {
    expect((await fetch(`${base}/health?access_token=${token}`)).status).toBe(200);
    const response = await fetch(`${base}/executions?access_token=${token}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ command: sh('true') }),
    });
    expect(response.status).toBe(401);
  });

  test('bad bodies, routes and methods answer JSON errors with their codes', async () => {
    const malformed = await post('/executions', '{"command":');
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as Doc).error.code).toBe('INVALID_REQUEST');
    const invalid = await post('/executions', { command: sh('true'), timeoutMs: -1 });
    expect(invalid.status).toBe(400);
    expect(((await invalid.json()) as Doc).error).toMatchObject({
      code: 'INVALID_REQUEST',
      field: 'timeoutMs',
    });
    const type = await post('/executions', 'x', { 'content-type': 'text/plain' });
    expect(type.status).toBe(415);
    expect(((await type.json()) as Doc).error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    const large = await post(
      '/executions',
      JSON.stringify({ command: sh('true'), metadata: { x: 'y'.repeat(2_000_000) } }),
    );
    expect(large.status).toBe(413);
    expect(((await large.json()) as Doc).error.code).toBe('PAYLOAD_TOO_LARGE');
    const unknown = await get('/nowhere');
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as Doc).error.code).toBe('NOT_FOUND');
    const method = await fetch(`${base}/executions`, { method: 'PUT', headers: auth() });
    expect(method.status).toBe(405);
    expect(method.headers.get('allow')).toBeTruthy();
    expect(((await method.json()) as Doc).error.code).toBe('METHOD_NOT_ALLOWED');
    const missing = await get('/executions/no-such-id');
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as Doc).error.code).toBe('EXECUTION_NOT_FOUND');
    expect((await get('/executions/..%2F..%2Fetc')).status).toBe(404);
  });
});

describe('serve: executions', () => {
  test('create, result, snapshot with output, list without output unless output=1, delete', async () => {
    const id = await start(sh('echo one; echo two'));
    const done = await result(id);
    expect(done).toMatchObject({ id, status: 'completed', exitCode: 0, stdout: 'one\ntwo' });
    expect(Date.parse(done.completedAt)).not.toBeNaN();
    expect(await (await get(`/executions/${id}`)).json()).toMatchObject({ id, stdout: 'one\ntwo' });
    const listed = ((await (await get('/executions?status=completed')).json()) as Doc).executions;
    const mine = listed.find((e: Doc) => e.id === id);
    expect(mine).toBeDefined();
    expect(mine).not.toHaveProperty('stdout');
    const withOutput = ((await (await get('/executions?status=completed&output=1')).json()) as Doc)
      .executions;
    expect(withOutput.find((e: Doc) => e.id === id).stdout).toBe('one\ntwo');
    expect((await fetch(`${base}/executions/${id}`, { method: 'DELETE', headers: auth() })).status).toBe(204);
    expect((await get(`/executions/${id}`)).status).toBe(404);
  });

  test('202 with the status while running; DELETE is 409; cancel ends it cancelled', async () => {
    const id = await start(sh('sleep 30'));
    const pending = await get(`/executions/${id}/result`);
    expect(pending.status).toBe(202);
    expect(await pending.json()).toMatchObject({ status: expect.stringMatching(/queued|running/) });
    expect((await fetch(`${base}/executions/${id}`, { method: 'DELETE', headers: auth() })).status).toBe(409);
    const cancel = await post(`/executions/${id}/cancel`, { reason: 'enough' });
    expect(await cancel.json()).toEqual({ cancelled: true });
    expect(await result(id)).toMatchObject({ status: 'cancelled' });
  });

  test('raw input, then closing it', async () => {
    const created = await post('/executions', {
      command: { type: 'exec', program: 'sort' },
      stdin: 'pipe',
    });
    const { id } = (await created.json()) as { id: string };
    const input = await fetch(`${base}/executions/${id}/input`, {
      method: 'POST',
      headers: auth(),
      body: 'b\na\n',
    });
    expect(input.status).toBe(204);
    expect(
      (await fetch(`${base}/executions/${id}/input/close`, { method: 'POST', headers: auth() })).status,
    ).toBe(204);
    expect(await result(id)).toMatchObject({ status: 'completed', stdout: 'a\nb' });
  });
});

describe('serve: event streams', () => {
  test('replay then end after the terminal event: headers, ids, batches, result without output', async () => {
    const id = await start(sh('for i in 1 2 3 4 5; do echo line $i; done'));
    await result(id);
    const response = await get(`/executions/${id}/events`);
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(response.headers.get('cache-control')).toBe('no-cache, no-transform');
    expect(response.headers.get('x-accel-buffering')).toBe('no');
    const list = messages(await response.text());
    expect(list.map((m) => m.event)).toEqual(expect.arrayContaining(['started', 'output', 'completed']));
    expect(list.at(-1)!.event).toBe('completed');
    expect(list.at(-1)!.data.result).not.toHaveProperty('stdout');
    expect(list.at(-1)!.data.result).not.toHaveProperty('stderr');
    expect(outputLines(list)).toEqual(['line 1', 'line 2', 'line 3', 'line 4', 'line 5']);
    const ids = list.map((m) => Number(m.id));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
  });

  test('Last-Event-ID (header or query) resumes with no gap and no duplicate; ?lines=each gives line events', async () => {
    const id = await start(sh('for i in 1 2 3 4 5 6; do echo n$i; done'));
    await result(id);
    const each = messages(await (await get(`/executions/${id}/events?lines=each`)).text());
    const lineEvents = each.filter((m) => m.event === 'stdout');
    expect(lineEvents.map((m) => m.data.line)).toEqual(['n1', 'n2', 'n3', 'n4', 'n5', 'n6']);
    const third = lineEvents[2]!.id!;
    const viaHeader = messages(
      await (await get(`/executions/${id}/events`, { ...auth(), 'last-event-id': third })).text(),
    );
    expect(outputLines(viaHeader)).toEqual(['n4', 'n5', 'n6']);
    const viaQuery = messages(await (await get(`/executions/${id}/events?lastEventId=${third}`)).text());
    expect(outputLines(viaQuery)).toEqual(['n4', 'n5', 'n6']);
    // EventSource cannot set headers: the token in the query on GET.
    const open = await fetch(`${base}/executions/${id}/events?access_token=${token}`);
    expect(open.status).toBe(200);
    await open.body?.cancel();
  });

  test('/events carries every execution live, filtered by ?types=', async () => {
    const controller = new AbortController();
    const response = await fetch(`${base}/events?types=completed`, {
      headers: auth(),
      signal: controller.signal,
    });
    expect(response.status).toBe(200);
    const reader = response.body!.getReader();
    const id = await start(sh('echo live'));
    let text = '';
    while (!text.includes(id)) text += new TextDecoder().decode((await reader.read()).value);
    controller.abort();
    const seen = messages(`${text.slice(0, text.lastIndexOf('\n\n') + 2)}`);
    expect(seen.every((m) => m.event === 'completed')).toBe(true);
    expect(seen.some((m) => m.data.executionId === id)).toBe(true);
  });

  test('the dashboard is served at the base path, with no external resources', async () => {
    const page = await get('/');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await page.text();
    expect(html).not.toMatch(/(src|href)="https?:\/\//);
  });
});

describe('serve: pipelines', () => {
  test('start, get, list, stream its events, and cancel', async () => {
    const created = await post('/pipelines', {
      steps: [
        { key: 'a', request: { command: sh('echo a') } },
        { key: 'b', dependsOn: ['a'], request: { command: sh('echo b') } },
      ],
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    const events = messages(await (await get(`/pipelines/${id}/events`)).text());
    expect(events.length).toBeGreaterThan(0);
    expect(events.every((m) => m.event === 'pipeline')).toBe(true);
    expect((await (await get(`/pipelines/${id}`)).json()) as Doc).toMatchObject({ id, status: 'completed' });
    const listed = ((await (await get('/pipelines')).json()) as Doc).pipelines;
    expect(listed.some((p: Doc) => p.id === id)).toBe(true);
    const long = await post('/pipelines', { steps: [{ key: 'wait', request: { command: sh('sleep 30') } }] });
    const longId = ((await long.json()) as { id: string }).id;
    expect(await (await post(`/pipelines/${longId}/cancel`, {})).json()).toEqual({ cancelled: true });
  });
});

describe('serve: shutdown', () => {
  test('SIGTERM shuts the engine down gracefully (running work finishes), then the command exits', async () => {
    const running = spawn(process.execPath, [cli, 'serve', '--port', '0', '--token', 'acceptance-token'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const line = String(
      (await createInterface({ input: running.stdout! })[Symbol.asyncIterator]().next()).value,
    );
    const url = /on (http:\/\/[^/]+)\//.exec(line)![1]!;
    const created = await fetch(`${url}/executions`, {
      method: 'POST',
      headers: { authorization: 'Bearer acceptance-token', 'content-type': 'application/json' },
      body: JSON.stringify({ command: sh('sleep 1') }),
    });
    expect(created.status).toBe(201);
    const exited = new Promise<number | null>((resolve) => running.once('exit', (code) => resolve(code)));
    running.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});

describe('createHttpHandler (fetch-standard)', () => {
  const engines: ExecutionEngine[] = [];
  afterAll(async () => {
    await Promise.all(engines.map((engine) => engine.shutdown({ graceMs: 0 })));
  });
  const engine = () => {
    const made = new ExecutionEngine();
    engines.push(made);
    return made;
  };

  test('refuses to serve without token, authorize or an explicit auth: none', () => {
    expect(() => createHttpHandler(engine(), {})).toThrow(InvalidConfigError);
    expect(() => createHttpHandler(engine(), { auth: 'none', dashboard: false })).not.toThrow();
  });

  test('basePath, tenants scoped by group, allowRequest refusing with 403 and its reason', async () => {
    const handler = createHttpHandler(engine(), {
      basePath: '/api/engine',
      authorize: (request: Request) => {
        const who = request.headers.get('x-user');
        return who === null ? null : { id: who, group: who };
      },
      allowRequest: (request: { command: object }) =>
        JSON.stringify(request.command).includes('rm ') ? 'rm is not allowed' : true,
    });
    const call = (path: string, user: string | undefined, init: RequestInit = {}) =>
      handler(
        new Request(`http://localhost/api/engine${path}`, {
          ...init,
          headers: { 'content-type': 'application/json', ...(user ? { 'x-user': user } : {}) },
        }),
      );
    expect((await call('/health', undefined)).status).toBe(401);
    const created = await call('/executions', 'alice', {
      method: 'POST',
      body: JSON.stringify({ command: sh('echo hi') }),
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    expect((await call(`/executions/${id}`, 'alice')).status).toBe(200);
    expect((await call(`/executions/${id}`, 'bob')).status).toBe(404);
    const forged = await call('/executions', 'bob', {
      method: 'POST',
      body: JSON.stringify({ command: sh('echo hi'), group: 'alice' }),
    });
    expect(forged.status).toBe(403);
    const refused = await call('/executions', 'bob', {
      method: 'POST',
      body: JSON.stringify({ command: sh('rm -rf x') }),
    });
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as Doc).error).toMatchObject({
      code: 'FORBIDDEN',
      message: 'rm is not allowed',
    });
  });
});
