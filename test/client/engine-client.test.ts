import { connect, createServer, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  CommandFailedError,
  EngineClient,
  ExecutionNotFoundError,
  httpTransport,
  InvalidRequestError,
  isExecutionError,
  RemoteError,
} from '../../src/client/index.js';
import { type BatchedEvent, type CompletedEvent, exec } from '../../src/index.js';
import { createEngine } from '../helpers/engine.js';
import { fixture, node } from '../helpers/fixtures.js';
import { startServer } from '../helpers/http.js';
import { eventually } from '../helpers/processes.js';

const lines = (n: number) => exec(node, [fixture('print-lines.js'), String(n)]);
const expected = (n: number) => Array.from({ length: n }, (_, i) => `line ${i + 1}`);
const clients: EngineClient[] = [];
const cleanups: (() => void)[] = [];

afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
  for (const cleanup of cleanups.splice(0)) cleanup();
});

async function setup() {
  const engine = createEngine();
  const server = await startServer(engine);
  const client = new EngineClient(httpTransport({ url: server.url, token: server.token }));
  clients.push(client);
  return { engine, server, client };
}

/** A TCP proxy to `port` that cuts each connection after `limit` bytes from the server. */
async function cuttingProxy(port: number, limit: number): Promise<{ url: string; cuts: () => number }> {
  let cuts = 0;
  const sockets = new Set<Socket>();
  const proxy = createServer((socket) => {
    const upstream = connect(port, '127.0.0.1');
    sockets.add(socket).add(upstream);
    let sent = 0;
    socket.pipe(upstream);
    upstream.on('data', (chunk: Buffer) => {
      sent += chunk.length;
      socket.write(chunk);
      if (sent > limit) {
        cuts++;
        upstream.destroy();
        socket.destroy();
      }
    });
    for (const s of [socket, upstream])
      s.on('error', () => {}).on('close', () => {
        socket.destroy();
        upstream.destroy();
      });
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => {
    for (const socket of sockets) socket.destroy();
    proxy.close();
  });
  const address = proxy.address() as { port: number };
  return { url: `http://127.0.0.1:${address.port}/`, cuts: () => cuts };
}

describe('EngineClient over HTTP', () => {
  it("has the engine's methods with its types: dates are Dates", async () => {
    const { client, engine } = await setup();
    const id = await client.execute({ command: lines(2) });
    const result = await client.waitForCompletion(id);
    expect(result).toMatchObject({ id, status: 'completed', stdout: 'line 1\nline 2' });
    expect(result.completedAt).toBeInstanceOf(Date);
    expect((await client.getExecution(id)).createdAt).toBeInstanceOf(Date);
    expect((await client.getResult(id))?.exitCode).toBe(0);
    expect((await client.list({ status: 'completed' })).map((s) => s.id)).toEqual([id]);
    expect((await client.stats()).completed).toBe(1);
    expect((await client.run({ command: lines(1) })).stdout).toBe('line 1');
    const sorted = await client.execute({ command: exec('sort'), stdin: 'pipe' });
    await eventually(() => engine.getStatus(sorted) === 'running');
    await client.writeInput(sorted, 'b\na\n');
    await client.closeInput(sorted);
    expect((await client.waitForCompletion(sorted)).stdout).toBe('a\nb');
    expect(await client.removeExecution(id)).toBe(true);
    expect(await client.removeExecution(id)).toBe(false);
  });

  it('cancels, and waits with a timeout', async () => {
    const { client } = await setup();
    const id = await client.execute({ command: exec(node, [fixture('print-then-wait.js'), '1']) });
    await expect(client.waitForCompletion(id, { timeoutMs: 200 })).rejects.toMatchObject({
      code: 'WAIT_TIMEOUT',
    });
    await expect(client.removeExecution(id)).rejects.toBeInstanceOf(InvalidRequestError);
    expect(await client.cancel(id, 'enough')).toBe(true);
    expect((await client.getResult(id))?.status).toBe('cancelled');
  });

  it('rebuilds errors as the same classes', async () => {
    const { client, server } = await setup();
    const missing = await client.getExecution('nope').catch((error: unknown) => error);
    expect(missing).toBeInstanceOf(ExecutionNotFoundError);
    expect(isExecutionError(missing)).toBe(true);
    expect(missing).toMatchObject({ code: 'EXECUTION_NOT_FOUND', executionId: 'nope' });
    const invalid = await client
      .execute({ command: lines(1), timeoutMs: -1 })
      .catch((error: unknown) => error);
    expect(invalid).toBeInstanceOf(InvalidRequestError);
    expect(invalid).toMatchObject({ field: 'timeoutMs' });
    const failed = await client
      .run({ command: exec(node, [fixture('exit-with.js'), '3']) })
      .catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(CommandFailedError);
    expect((failed as CommandFailedError).result.exitCode).toBe(3);
    const stranger = new EngineClient(httpTransport({ url: server.url, token: 'x'.repeat(43) }));
    clients.push(stranger);
    const refused = await stranger.stats().catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(RemoteError);
    expect(refused).toMatchObject({ code: 'UNAUTHORIZED', status: 401 });
  });

  it('subscribe resumes after connections cut server-side: no gap, no duplicate', async () => {
    const { engine, server } = await setup();
    const proxy = await cuttingProxy(Number(new URL(server.url).port), 256 * 1024);
    const client = new EngineClient(httpTransport({ url: proxy.url, token: server.token }));
    clients.push(client);
    const id = await engine.execute({ command: lines(200_000) });
    const got: string[] = [];
    const seqs: number[] = [];
    let last: BatchedEvent | undefined;
    for await (const event of client.subscribe(id, { lines: 'batched' })) {
      seqs.push(event.seq);
      if (event.type === 'output') got.push(...event.lines);
      last = event;
    }
    expect(proxy.cuts()).toBeGreaterThan(3);
    expect(got.length).toBe(200_000);
    expect(got).toEqual(expected(200_000));
    expect(new Set(seqs).size).toBe(seqs.length);
    expect(last?.type).toBe('completed');
  }, 60_000);

  it('on() gets engine-wide events live; breaking out of subscribe releases it', async () => {
    const { client, server } = await setup();
    const completed: CompletedEvent[] = [];
    client.on('completed', (event) => completed.push(event));
    await eventually(() => server.handler.openStreams === 1);
    const id = await client.execute({ command: lines(1) });
    expect(await eventually(() => completed.length === 1)).toBe(true);
    expect(completed[0]!.executionId).toBe(id);
    expect(completed[0]!.result.completedAt).toBeInstanceOf(Date);
    const flood = await client.execute({ command: exec(node, [fixture('flood.js')]) });
    for await (const event of client.subscribe(flood)) {
      if (event.type === 'stdout' && event.line === 'line 100') break;
    }
    expect(await eventually(() => server.handler.openStreams === 1)).toBe(true);
    await client.close();
    expect(await eventually(() => server.handler.openStreams === 0)).toBe(true);
  });
});
