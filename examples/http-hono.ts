/**
 * The engine's HTTP API and dashboard mounted in a Hono app, next to the app's own routes.
 *
 *   npx tsx examples/http-hono.ts
 *
 * `createHttpHandler` is a fetch-standard `(Request) => Promise<Response>`, so it mounts as is:
 * give it the mount path as `basePath` and hand it the raw request. This file calls the app with
 * `app.request()` (Hono's in-process client); to serve it, pass `app.fetch` to Bun, Deno, or
 * `@hono/node-server`'s `serve({ fetch: app.fetch })`.
 */
import { randomBytes } from 'node:crypto';
import { ExecutionEngine, exec } from 'execution-engine';
import { createHttpHandler } from 'execution-engine/http';
import { Hono } from 'hono';

const engine = new ExecutionEngine();
const token = randomBytes(32).toString('base64url');
const engineApi = createHttpHandler(engine, {
  basePath: '/api/engine',
  token,
  // Only named programs may run through the API (a command runner on a network is remote code
  // execution by design: restrict what it may run).
  allowRequest: (request) =>
    request.command.type === 'exec' && request.command.program === 'node' ? true : 'only node may run here',
});

const app = new Hono();
app.get('/', (c) => c.text('my app'));
app.all('/api/engine', (c) => engineApi(c.req.raw));
app.all('/api/engine/*', (c) => engineApi(c.req.raw));

const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
const created = await app.request('/api/engine/executions', {
  method: 'POST',
  headers: auth,
  body: JSON.stringify({ command: exec('node', ['--version']) }),
});
const { id } = (await created.json()) as { id: string };
const result = await app.request(`/api/engine/executions/${id}/result?waitMs=10000`, { headers: auth });
const body = (await result.json()) as { status: string; stdout: string };
console.log(`POST /api/engine/executions → ${created.status}; result: ${body.status}, ${body.stdout}`);

const refused = await app.request('/api/engine/executions', {
  method: 'POST',
  headers: auth,
  body: JSON.stringify({ command: { type: 'shell', command: 'rm -rf ~' } }),
});
console.log(`a shell command → ${refused.status} ${JSON.stringify(await refused.json())}`);
const anonymous = await app.request('/api/engine/executions');
console.log(`no token → ${anonymous.status}; the app's own route → ${(await app.request('/')).status}`);
await engine.shutdown();
