import { describe, expect, it } from 'vitest';
import type { Principal } from '../../src/http/index.js';
import { exec, type PipelineEvent } from '../../src/index.js';
import { createEngine } from '../helpers/engine.js';
import { fixture, node } from '../helpers/fixtures.js';
import { authed, parseSse, postJson, readSse, startServer } from '../helpers/http.js';
import { eventually } from '../helpers/processes.js';

const lines = (n: number) => exec(node, [fixture('print-lines.js'), String(n)]);
const sleepy = exec('sleep', ['30']);
const twoSteps = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  steps: [
    { key: 'a', request: { command: lines(1), ...extra } },
    { key: 'b', request: { command: lines(1), ...extra }, dependsOn: ['a'] },
  ],
});

describe('pipelines over HTTP', () => {
  it('starts a JSON spec, gets and lists it, and streams its events with Last-Event-ID resume', async () => {
    const engine = createEngine();
    const server = await startServer(engine);
    const created = await postJson(server, 'pipelines', twoSteps('p1'));
    expect(created.status).toBe(201);
    expect(await created.json()).toEqual({ id: 'p1' });
    const { messages } = await readSse(await authed(server, 'pipelines/p1/events'));
    expect(messages.every((m) => m.event === 'pipeline')).toBe(true);
    expect(messages.map((m) => Number(m.id))).toEqual(messages.map((_, i) => i + 1));
    const last = messages.at(-1)!.data as PipelineEvent;
    expect(last).toMatchObject({ pipelineId: 'p1', status: 'completed' });
    expect(last.step).toBeUndefined();
    const resumed = await readSse(
      await authed(server, 'pipelines/p1/events', { headers: { 'last-event-id': '2' } }),
    );
    expect(resumed.messages.map((m) => Number(m.id))).toEqual(messages.slice(2).map((m) => Number(m.id)));
    const snapshot = (await (await authed(server, 'pipelines/p1')).json()) as { createdAt: unknown };
    expect(snapshot).toMatchObject({
      id: 'p1',
      status: 'completed',
      steps: [
        { key: 'a', status: 'completed', dependsOn: [], executionId: 'p1.a' },
        { key: 'b', status: 'completed', dependsOn: ['a'], executionId: 'p1.b' },
      ],
    });
    expect(typeof snapshot.createdAt).toBe('string');
    const listed = (await (await authed(server, 'pipelines?status=completed')).json()) as {
      pipelines: { id: string }[];
    };
    expect(listed.pipelines.map((p) => p.id)).toEqual(['p1']);
    const running = (await (await authed(server, 'pipelines?status=running')).json()) as { pipelines: [] };
    expect(running.pipelines).toEqual([]);
  });

  it('refuses an invalid spec with 400 naming the field, and registers nothing', async () => {
    const engine = createEngine();
    const server = await startServer(engine);
    const response = await postJson(server, 'pipelines', {
      steps: [
        { key: 'a', request: { command: lines(1) }, dependsOn: ['b'] },
        { key: 'b', request: { command: lines(1) }, dependsOn: ['a'] },
      ],
    });
    expect(response.status).toBe(400);
    const { error } = (await response.json()) as { error: { code: string; field: string; message: string } };
    expect(error.code).toBe('INVALID_REQUEST');
    expect(error.message).toMatch(/cycle/i);
    expect(engine.listPipelines()).toEqual([]);
    expect((await authed(server, 'pipelines/nope')).status).toBe(404);
  });

  it('cancels a running pipeline, and answers false once it has ended', async () => {
    const engine = createEngine();
    const server = await startServer(engine);
    await postJson(server, 'pipelines', { id: 'slow', steps: [{ key: 's', request: { command: sleepy } }] });
    await eventually(() => engine.getPipeline('slow').steps[0]!.status === 'running');
    const cancel = await postJson(server, 'pipelines/slow/cancel', { reason: 'stop' });
    expect(await cancel.json()).toEqual({ cancelled: true });
    expect(engine.getPipeline('slow').status).toBe('cancelled');
    expect(await (await postJson(server, 'pipelines/slow/cancel', {})).json()).toEqual({ cancelled: false });
    expect((await postJson(server, 'pipelines/slow/cancel', { reason: 3 })).status).toBe(400);
  });
});

const PRINCIPALS: Record<string, Principal> = {
  alice: { id: 'alice', group: 'red' },
  bob: { id: 'bob', group: 'blue' },
  admin: { id: 'admin' },
};

async function tenantServer() {
  const engine = createEngine();
  const authorize = (request: Request) => PRINCIPALS[request.headers.get('x-user') ?? ''] ?? null;
  const allowRequest = (request: { command: { program?: string } }) =>
    request.command.program === 'sleep' ? 'no sleeping' : (true as const);
  const server = await startServer(engine, { authorize, allowRequest: allowRequest as never });
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

describe('pipelines of tenants', () => {
  it("gives a tenant's steps its group, refuses another group or a disallowed step with 403", async () => {
    const { engine, post } = await tenantServer();
    expect((await post('alice', 'pipelines', twoSteps('red-1'))).status).toBe(201);
    await engine.waitForPipeline('red-1');
    expect(engine.getPipeline('red-1').group).toBe('red');
    expect(engine.getExecution('red-1.b').group).toBe('red');
    const forged = await post('alice', 'pipelines', twoSteps('forged', { group: 'blue' }));
    expect(forged.status).toBe(403);
    const disallowed = await post('alice', 'pipelines', {
      id: 'sleepy',
      steps: [{ key: 's', request: { command: sleepy } }],
    });
    expect(disallowed.status).toBe(403);
    expect(((await disallowed.json()) as { error: { message: string } }).error.message).toBe('no sleeping');
    expect(engine.listPipelines().map((p) => p.id)).toEqual(['red-1']);
  });

  it("answers another tenant's pipeline 404 on every route, and lists only its own", async () => {
    const { engine, as, post } = await tenantServer();
    await post('alice', 'pipelines', twoSteps('red-1'));
    await engine.waitForPipeline('red-1');
    for (const [method, path] of [
      ['GET', 'pipelines/red-1'],
      ['GET', 'pipelines/red-1/events'],
      ['POST', 'pipelines/red-1/cancel'],
    ] as const) {
      const response = await as('bob', path, { method });
      expect(response.status, `${method} ${path}`).toBe(404);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('EXECUTION_NOT_FOUND');
    }
    const list = async (user: string) =>
      ((await (await as(user, 'pipelines')).json()) as { pipelines: unknown[] }).pipelines.length;
    expect(await list('bob')).toBe(0);
    expect(await list('alice')).toBe(1);
    expect(await list('admin')).toBe(1);
    // A pipeline started in-process with steps of no group is visible to principals without a group only.
    await engine.startPipeline({ id: 'host', steps: [{ key: 'x', request: { command: lines(1) } }] });
    expect(await list('alice')).toBe(1);
    expect(await list('admin')).toBe(2);
  });

  it("streams /events' pipeline events of the tenant's own pipelines only", async () => {
    const { engine, server, as, post } = await tenantServer();
    const controller = new AbortController();
    const response = await as('bob', 'events?types=pipeline', { signal: controller.signal });
    const reader = response.body!.getReader();
    await post('alice', 'pipelines', twoSteps('red-1'));
    await post('bob', 'pipelines', twoSteps('blue-1'));
    await Promise.all([engine.waitForPipeline('red-1'), engine.waitForPipeline('blue-1')]);
    let text = '';
    const done = () => parseSse(text).messages.some((m) => (m.data as PipelineEvent).status === 'completed');
    while (!done()) text += new TextDecoder().decode((await reader.read()).value);
    const ids = new Set(parseSse(text).messages.map((m) => (m.data as PipelineEvent).pipelineId));
    expect([...ids]).toEqual(['blue-1']);
    controller.abort();
    expect(await eventually(() => server.handler.openStreams === 0)).toBe(true);
  });
});
