import { describe, expect, it } from 'vitest';
import { exec } from '../../src/index.js';
import { createEngine } from '../helpers/engine.js';
import { fixture, node } from '../helpers/fixtures.js';
import { authed, postJson, startServer } from '../helpers/http.js';

const lines = (n: number) => exec(node, [fixture('print-lines.js'), String(n)]);
const waiting = () => exec(node, [fixture('print-then-wait.js'), '2']);

describe('execution routes', () => {
  it('creates an execution, lists it, gets its snapshot and its result', async () => {
    const engine = createEngine();
    const server = await startServer(engine);
    const created = await postJson(server, 'executions', { command: lines(3) });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    const result = await authed(server, `executions/${id}/result?waitMs=10000`);
    expect(result.status).toBe(200);
    const body = (await result.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ id, status: 'completed', exitCode: 0, stdout: 'line 1\nline 2\nline 3' });
    expect(typeof body.completedAt).toBe('string'); // dates as ISO strings
    const listed = (await (await authed(server, 'executions')).json()) as {
      executions: Record<string, unknown>[];
    };
    expect(listed.executions.map((e) => e.id)).toEqual([id]);
    expect(listed.executions[0]).not.toHaveProperty('stdout');
    const withOutput = (await (await authed(server, 'executions?output=1')).json()) as {
      executions: { stdout: string }[];
    };
    expect(withOutput.executions[0]!.stdout).toBe('line 1\nline 2\nline 3');
    const snapshot = (await (await authed(server, `executions/${id}`)).json()) as { stdout: string };
    expect(snapshot.stdout).toBe('line 1\nline 2\nline 3');
  });

  it('filters the list by status, group and limit', async () => {
    const engine = createEngine();
    const server = await startServer(engine);
    const a = await engine.execute({ command: lines(1), group: 'a' });
    const b = await engine.execute({ command: waiting(), group: 'b' });
    await engine.waitForCompletion(a);
    const ids = async (query: string) =>
      (
        (await (await authed(server, `executions${query}`)).json()) as { executions: { id: string }[] }
      ).executions.map((e) => e.id);
    expect(await ids('?status=completed')).toEqual([a]);
    expect(await ids('?status=running,queued')).toEqual([b]);
    expect(await ids('?group=b')).toEqual([b]);
    expect(await ids('?limit=1')).toEqual([b]);
    const bad = await authed(server, 'executions?status=nope');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { field: string } }).error.field).toBe('filter.status');
  });

  it('answers 202 with the status while running, cancels, refuses DELETE while live, then deletes', async () => {
    const engine = createEngine();
    const server = await startServer(engine);
    const id = await engine.execute({ command: waiting() });
    const pending = await authed(server, `executions/${id}/result`);
    expect(pending.status).toBe(202);
    expect(await pending.json()).toEqual({ status: 'running' });
    const live = await authed(server, `executions/${id}`, { method: 'DELETE' });
    expect(live.status).toBe(409);
    const cancelled = await postJson(server, `executions/${id}/cancel`, { reason: 'enough' });
    expect(await cancelled.json()).toEqual({ cancelled: true });
    expect(engine.getResult(id)).toMatchObject({ status: 'cancelled' });
    const again = await authed(server, `executions/${id}/cancel`, { method: 'POST' }); // no body: allowed
    expect(await again.json()).toEqual({ cancelled: false });
    const removed = await authed(server, `executions/${id}`, { method: 'DELETE' });
    expect(removed.status).toBe(204);
    expect(engine.list()).toEqual([]);
  });

  it('writes raw input and closes it', async () => {
    const engine = createEngine();
    const server = await startServer(engine);
    const id = await engine.execute({ command: exec('sort'), stdin: 'pipe' });
    const written = await authed(server, `executions/${id}/input`, { method: 'POST', body: 'b\na\n' });
    expect(written.status).toBe(204);
    expect((await authed(server, `executions/${id}/input/close`, { method: 'POST' })).status).toBe(204);
    expect((await engine.waitForCompletion(id)).stdout).toBe('a\nb');
  });

  it('answers /health with stats and /metrics only with a registry', async () => {
    const engine = createEngine();
    const registry = { contentType: 'text/plain; version=0.0.4', metrics: async () => 'engine_up 1\n' };
    const server = await startServer(engine, { metrics: registry });
    const health = await authed(server, 'health');
    expect(await health.json()).toMatchObject({ status: 'ok', stats: { queued: 0, running: 0 } });
    const metrics = await authed(server, 'metrics');
    expect(metrics.headers.get('content-type')).toBe('text/plain; version=0.0.4');
    expect(await metrics.text()).toBe('engine_up 1\n');
    const without = await startServer(engine);
    expect((await authed(without, 'metrics')).status).toBe(404);
  });

  it('serves every route under basePath', async () => {
    const engine = createEngine();
    const server = await startServer(engine, { basePath: '/api/engine' });
    expect(server.url).toMatch(/\/api\/engine\/$/);
    expect((await authed(server, 'health')).status).toBe(200);
    expect((await authed(server, '/health')).status).toBe(404);
  });
});
