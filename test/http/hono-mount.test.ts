import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { createHttpHandler } from '../../src/http/index.js';
import { exec } from '../../src/index.js';
import { createEngine } from '../helpers/engine.js';
import { fixture, node } from '../helpers/fixtures.js';

const TOKEN = 'a-token-for-the-hono-app-0123456789';
const headers = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };

/** A Hono app with its own route and the engine's API mounted under /api/engine. */
function appWith(engine: ReturnType<typeof createEngine>): Hono {
  const handler = createHttpHandler(engine, { basePath: '/api/engine', token: TOKEN });
  const app = new Hono();
  app.get('/', (c) => c.text('my app'));
  app.all('/api/engine', (c) => handler(c.req.raw));
  app.all('/api/engine/*', (c) => handler(c.req.raw));
  return app;
}

describe('createHttpHandler mounted in a Hono app', () => {
  it('serves the API under the mount path beside the app, authenticated', async () => {
    const engine = createEngine();
    const app = appWith(engine);
    expect(await (await app.request('/')).text()).toBe('my app');
    expect((await app.request('/api/engine/executions')).status).toBe(401);
    const created = await app.request('/api/engine/executions', {
      method: 'POST',
      headers,
      body: JSON.stringify({ command: exec(node, [fixture('print-lines.js'), '3']) }),
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    const result = await app.request(`/api/engine/executions/${id}/result?waitMs=10000`, { headers });
    expect(await result.json()).toMatchObject({ id, status: 'completed', stdout: 'line 1\nline 2\nline 3' });
    expect((await app.request('/api/engine/nope', { headers })).status).toBe(404);
  });

  it('streams an execution’s events as SSE through Hono, replay then the terminal event', async () => {
    const engine = createEngine();
    const app = appWith(engine);
    const id = await engine.execute({ command: exec(node, [fixture('print-lines.js'), '5']) });
    const response = await app.request(`/api/engine/executions/${id}/events`, { headers });
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const text = await response.text(); // the stream ends after the terminal event
    expect(text).toMatch(/^event: started$/m);
    expect(text).toMatch(/^event: output$/m);
    expect(text).toContain('line 5');
    expect(text.trimEnd()).toMatch(/event: completed\ndata: .*$/);
  });

  it('serves the dashboard page at the mount path', async () => {
    const engine = createEngine();
    const app = appWith(engine);
    const page = await app.request('/api/engine/');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await page.text()).toContain('execution-engine');
  });
});
