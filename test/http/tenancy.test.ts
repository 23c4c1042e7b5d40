import { describe, expect, it } from 'vitest';
import type { Principal } from '../../src/http/index.js';
import { exec } from '../../src/index.js';
import { createEngine } from '../helpers/engine.js';
import { fixture, node } from '../helpers/fixtures.js';
import { parseSse, startServer } from '../helpers/http.js';
import { eventually } from '../helpers/processes.js';

const lines = (n: number) => exec(node, [fixture('print-lines.js'), String(n)]);
const PRINCIPALS: Record<string, Principal> = {
  alice: { id: 'alice', group: 'red' },
  bob: { id: 'bob', group: 'blue' },
  admin: { id: 'admin' },
};

async function tenantServer() {
  const engine = createEngine();
  const authorize = (request: Request) => PRINCIPALS[request.headers.get('x-user') ?? ''] ?? null;
  const server = await startServer(engine, { authorize });
  const as = (user: string, path: string, init: RequestInit = {}) =>
    fetch(new URL(path, server.url), { ...init, headers: { ...init.headers, 'x-user': user } });
  const post = (user: string, path: string, body: unknown) =>
    as(user, path, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  return { engine, server, as, post };
}

describe('tenants', () => {
  it('gives what a tenant creates its group, and refuses a forged group', async () => {
    const { engine, post } = await tenantServer();
    const created = await post('alice', 'executions', { command: lines(1) });
    const { id } = (await created.json()) as { id: string };
    expect(engine.getExecution(id).group).toBe('red');
    const forged = await post('alice', 'executions', { command: lines(1), group: 'blue' });
    expect(forged.status).toBe(403);
    expect(engine.list()).toHaveLength(1);
    expect((await post('nobody', 'executions', { command: lines(1) })).status).toBe(401);
  });

  it("answers another tenant's ids 404 on every route, and lists only its own", async () => {
    const { engine, as, post } = await tenantServer();
    const { id } = (await (await post('alice', 'executions', { command: lines(2) })).json()) as {
      id: string;
    };
    await engine.waitForCompletion(id);
    for (const [method, path] of [
      ['GET', `executions/${id}`],
      ['GET', `executions/${id}/result`],
      ['GET', `executions/${id}/events`],
      ['POST', `executions/${id}/cancel`],
      ['POST', `executions/${id}/input`],
      ['POST', `executions/${id}/input/close`],
      ['DELETE', `executions/${id}`],
    ] as const) {
      const response = await as('bob', path, { method });
      expect(response.status, `${method} ${path}`).toBe(404);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('EXECUTION_NOT_FOUND');
    }
    const list = async (user: string) =>
      ((await (await as(user, 'executions')).json()) as { executions: { id: string }[] }).executions.length;
    expect(await list('bob')).toBe(0);
    expect(await list('alice')).toBe(1);
    expect(await list('admin')).toBe(1); // a principal without a group sees every group
    expect((await as('alice', `executions/${id}`)).status).toBe(200);
    expect(engine.list()).toHaveLength(1);
  });

  it("streams /events of the tenant's own group only", async () => {
    const { engine, server, as, post } = await tenantServer();
    const controller = new AbortController();
    const response = await as('bob', 'events?types=started,completed', { signal: controller.signal });
    const reader = response.body!.getReader();
    const red = (await (await post('alice', 'executions', { command: lines(1) })).json()) as { id: string };
    const blue = (await (await post('bob', 'executions', { command: lines(1) })).json()) as { id: string };
    await Promise.all([engine.waitForCompletion(red.id), engine.waitForCompletion(blue.id)]);
    let text = '';
    while (parseSse(text).messages.length < 2) text += new TextDecoder().decode((await reader.read()).value);
    const { messages } = parseSse(text);
    expect(messages.map((m) => [m.event, (m.data as { executionId: string }).executionId])).toEqual([
      ['started', blue.id],
      ['completed', blue.id],
    ]);
    controller.abort();
    expect(await eventually(() => server.handler.openStreams === 0)).toBe(true);
  });
});
