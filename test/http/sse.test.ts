import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { exec } from '../../src/index.js';
import { createEngine } from '../helpers/engine.js';
import { fixture, node } from '../helpers/fixtures.js';
import { authed, linesOf, parseSse, readSse, startServer } from '../helpers/http.js';
import { eventually } from '../helpers/processes.js';

const lines = (n: number, stream = 'stdout') => exec(node, [fixture('print-lines.js'), String(n), stream]);
const expected = (n: number) => Array.from({ length: n }, (_, i) => `line ${i + 1}`);

describe('an execution event stream', () => {
  it('replays then ends after the terminal event: SSE headers, ids, batches, result without output', async () => {
    const engine = createEngine();
    const server = await startServer(engine);
    const id = await engine.execute({ command: lines(5000, 'both') });
    await engine.waitForCompletion(id);
    const response = await authed(server, `executions/${id}/events`);
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('no-cache, no-transform');
    expect(response.headers.get('x-accel-buffering')).toBe('no');
    const { messages } = await readSse(response);
    expect(messages[0]!.event).toBe('started');
    expect(messages.some((m) => m.event === 'stdout')).toBe(false);
    expect(linesOf(messages, 'stdout')).toEqual(expected(5000));
    expect(linesOf(messages, 'stderr')).toEqual(expected(5000));
    const last = messages.at(-1)!;
    expect(last.event).toBe('completed');
    const result = (last.data as { result: Record<string, unknown> }).result;
    expect(result).toMatchObject({ status: 'completed', exitCode: 0 });
    expect(result).not.toHaveProperty('stdout');
    expect(result).not.toHaveProperty('stderr');
    // An output batch's id is its last line's seq: what a client resumes after.
    for (const { id: eventId, event, data } of messages) {
      const { seq, lines: batch } = data as { seq: number; lines?: string[] };
      expect(Number(eventId)).toBe(event === 'output' ? seq + batch!.length - 1 : seq);
    }
  });

  it('sends one event per line with ?lines=each, live', async () => {
    const engine = createEngine();
    const server = await startServer(engine);
    const id = await engine.execute({ command: lines(300) });
    const { messages } = await readSse(await authed(server, `executions/${id}/events?lines=each`));
    expect(messages.filter((m) => m.event === 'stdout')).toHaveLength(300);
    expect(linesOf(messages)).toEqual(expected(300));
  });

  it('resumes after Last-Event-ID (header or query) with no gap and no duplicate, also inside a batch', async () => {
    const engine = createEngine();
    const server = await startServer(engine);
    const id = await engine.execute({ command: lines(20_000) });
    await engine.waitForCompletion(id);
    const { messages } = await readSse(await authed(server, `executions/${id}/events`));
    const started = Number(messages[0]!.id);
    for (const cut of [started, started + 1, started + 777, started + 19_999]) {
      const header = await readSse(
        await authed(server, `executions/${id}/events`, { headers: { 'last-event-id': String(cut) } }),
      );
      expect(linesOf(header.messages)).toEqual(expected(20_000).slice(cut - started));
      expect(header.messages.at(-1)!.event).toBe('completed');
      expect(header.messages.some((m) => m.event === 'resync')).toBe(false);
      const query = await readSse(await authed(server, `executions/${id}/events?lastEventId=${cut}`));
      expect(linesOf(query.messages)).toEqual(linesOf(header.messages));
    }
    const terminal = Number(messages.at(-1)!.id);
    const after = await readSse(await authed(server, `executions/${id}/events?lastEventId=${terminal}`));
    expect(after.messages).toEqual([]); // nothing after the end: the stream just ends
  });

  it('sends one resync first when events after Last-Event-ID are no longer retained', async () => {
    const engine = createEngine({ maxOutputSizeBytes: 1000, oversizedOutputStrategy: 'truncateWithWarning' });
    const server = await startServer(engine);
    const id = await engine.execute({ command: lines(2000) });
    await engine.waitForCompletion(id);
    const { messages } = await readSse(await authed(server, `executions/${id}/events?lastEventId=1500`));
    expect(messages[0]!.event).toBe('resync');
    expect(messages[0]!.data).toMatchObject({ executionId: id, lastEventId: 1500 });
    expect(messages.filter((m) => m.event === 'resync')).toHaveLength(1);
    expect(messages.at(-1)!.event).toBe('completed');
  });

  it('sends heartbeat comments while idle', async () => {
    const engine = createEngine();
    const server = await startServer(engine, { heartbeatMs: 50 });
    const id = await engine.execute({ command: exec(node, [fixture('print-then-wait.js'), '1']) });
    const controller = new AbortController();
    const response = await authed(server, `executions/${id}/events`, { signal: controller.signal });
    const reader = response.body!.getReader();
    let text = '';
    while (parseSse(text).comments < 3) text += new TextDecoder().decode((await reader.read()).value);
    controller.abort();
    expect(parseSse(text).messages.map((m) => m.event)).toContain('started');
  });

  it('releases the subscription when the client disconnects mid-stream', async () => {
    const engine = createEngine();
    const server = await startServer(engine);
    const id = await engine.execute({ command: exec(node, [fixture('flood.js')]) });
    const clients = Array.from({ length: 20 }, () => new AbortController());
    await Promise.all(
      clients.map(async (controller) => {
        const response = await authed(server, `executions/${id}/events`, { signal: controller.signal });
        await response.body!.getReader().read();
      }),
    );
    expect(server.handler.openStreams).toBe(20);
    for (const controller of clients) controller.abort();
    expect(await eventually(() => server.handler.openStreams === 0, 10_000)).toBe(true);
    expect(engine.getStatus(id)).toBe('running'); // the execution is unaffected
  });

  it('disconnects a client that stops reading, while a fast client gets every line', async () => {
    const engine = createEngine();
    const server = await startServer(engine, { heartbeatMs: 100 });
    const id = await engine.execute({ command: lines(400_000) });
    const { port } = new URL(server.url);
    const stalled = connect(Number(port), '127.0.0.1');
    stalled.write(
      `GET /executions/${id}/events HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${server.token}\r\n\r\n`,
    );
    stalled.pause(); // never reads: the socket buffers fill up
    const fast = await readSse(await authed(server, `executions/${id}/events`));
    expect(linesOf(fast.messages)).toEqual(expected(400_000));
    expect(await eventually(() => server.handler.openStreams === 0, 20_000)).toBe(true);
    // What the stalled client gets when it reads at last: a cut stream, never the terminal event.
    let received = '';
    stalled.on('data', (chunk: Buffer) => {
      received += chunk.toString();
    });
    stalled.on('error', () => {});
    stalled.resume();
    await new Promise((resolve) => stalled.once('close', resolve));
    expect(received).toContain('event: started');
    expect(received).not.toContain('event: completed');
  }, 60_000);
});

describe('the live /events stream', () => {
  it("carries every execution's events live, filtered by ?types=, with output batches", async () => {
    const engine = createEngine();
    const server = await startServer(engine);
    const controller = new AbortController();
    const response = await authed(server, 'events?types=output,completed', { signal: controller.signal });
    const reader = response.body!.getReader();
    const ids = [await engine.execute({ command: lines(3) }), await engine.execute({ command: lines(3) })];
    let text = '';
    while (parseSse(text).messages.filter((m) => m.event === 'completed').length < 2) {
      text += new TextDecoder().decode((await reader.read()).value);
    }
    const { messages } = parseSse(text);
    expect(new Set(messages.map((m) => m.event))).toEqual(new Set(['output', 'completed']));
    for (const id of ids) {
      const mine = messages.filter((m) => (m.data as { executionId: string }).executionId === id);
      expect(linesOf(mine)).toEqual(expected(3));
    }
    controller.abort();
    expect(await eventually(() => server.handler.openStreams === 0)).toBe(true);
    const bad = await authed(server, 'events?types=nope');
    expect(bad.status).toBe(400);
  });

  it('disconnects a live client whose unsent bytes pass maxBufferedBytes', async () => {
    const engine = createEngine();
    const server = await startServer(engine, { maxBufferedBytes: 256 * 1024 });
    const { port } = new URL(server.url);
    const stalled = connect(Number(port), '127.0.0.1');
    stalled.write(`GET /events HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${server.token}\r\n\r\n`);
    stalled.pause();
    expect(await eventually(() => server.handler.openStreams === 1)).toBe(true);
    const id = await engine.execute({ command: lines(2_000_000) });
    expect(await eventually(() => server.handler.openStreams === 0, 20_000)).toBe(true);
    expect(engine.getStatus(id)).not.toBe('failed');
    stalled.destroy();
  }, 60_000);
});
