import { describe, expect, it } from 'vitest';
import { exec, InvalidConfigError } from '../../src/index.js';
import { serveProtocol } from '../../src/protocol/index.js';
import { createEngine } from '../helpers/engine.js';
import { fixture, node } from '../helpers/fixtures.js';
import { eventually } from '../helpers/processes.js';
import { memoryTransport } from './memory-transport.js';

const lines = (n: number) => ({ command: exec(node, [fixture('print-lines.js'), String(n)]) });
const waiting = () => ({ command: exec(node, [fixture('print-then-wait.js'), '2']) });

function setup(options?: Parameters<typeof serveProtocol>[2]) {
  const engine = createEngine();
  const memory = memoryTransport();
  const server = serveProtocol(engine, memory.transport, options);
  return { engine, server, ...memory };
}

describe('serveProtocol', () => {
  it('answers malformed messages, unknown methods and wrong params with JSON-RPC errors', async () => {
    const { call, deliver, answerTo, state } = setup();
    deliver(42);
    expect((await answerTo(null)).error).toMatchObject({ code: -32600, data: { code: 'INVALID_REQUEST' } });
    expect((await call('nope')).error).toMatchObject({ code: -32601, data: { code: 'METHOD_NOT_FOUND' } });
    expect((await call('toString')).error?.code).toBe(-32601);
    expect((await call('stats', [1])).error).toMatchObject({ code: -32602, data: { field: 'params' } });
    const badId = await call('getExecution', { id: 5 });
    expect(badId.error).toMatchObject({
      code: -32602,
      data: {
        code: 'INVALID_REQUEST',
        field: 'id',
        message: 'Expected `id` to be a string, got `5` (number)',
      },
    });
    expect((await call('getExecution', { id: 'x' })).error).toMatchObject({
      code: -32000,
      data: { code: 'EXECUTION_NOT_FOUND', executionId: 'x' },
    });
    const invalid = await call('execute', { request: { ...lines(1), timeoutMs: -1 } });
    expect(invalid.error).toMatchObject({
      code: -32602,
      data: { code: 'INVALID_REQUEST', field: 'timeoutMs' },
    });
    expect((await call('writeInput', { id: 'x', data: 'a', encoding: 'hex' })).error?.data.field).toBe(
      'encoding',
    );
    expect((await call('subscribeEvents', { types: ['bogus'] })).error?.data.field).toBe('types');
    expect((await call('getResult', { id: 'x', waitMs: 70_000 })).error?.data.field).toBe('waitMs');
    expect((await call('subscribe', { id: 'x', window: 0 })).error?.data.field).toBe('window');
    deliver({ jsonrpc: '2.0', method: 'stats' }); // a notification: no answer
    const before = state.sent.length;
    expect((await call('list')).result).toEqual([]);
    expect(state.sent.length).toBe(before + 1);
  });

  it('answers a batch with one array, and an empty batch with an error', async () => {
    const { deliver, state } = setup();
    deliver([
      { jsonrpc: '2.0', id: 'a', method: 'stats' },
      { jsonrpc: '2.0', id: 'b', method: 'nope' },
      { jsonrpc: '2.0', method: 'stats' },
    ]);
    await eventually(() => state.batches === 1);
    expect(state.sent.map((m) => m.id)).toEqual(['a', 'b']);
    expect(state.sent[1]?.error?.code).toBe(-32601);
    deliver([]);
    await eventually(() => state.sent.length === 3);
    expect(state.sent[2]?.error?.code).toBe(-32600);
  });

  it('subscribe answers an id, then events ending with the terminal one, without stdout/stderr', async () => {
    const { call, events, engine, server } = setup();
    const id = await engine.execute(lines(3));
    const subscription = (await call('subscribe', { id, lines: 'batched' })).result;
    await eventually(() => events(subscription).at(-1)?.type === 'completed');
    const got = events(subscription);
    expect(got.filter((e) => e.type === 'output').flatMap((e) => e.lines)).toEqual([
      'line 1',
      'line 2',
      'line 3',
    ]);
    const result = got.at(-1)!.result as Record<string, unknown>;
    expect(result).toMatchObject({ exitCode: 0, status: 'completed' });
    expect(result.stdout).toBeUndefined();
    expect(typeof result.completedAt).toBe('string'); // as JSON carries it, whatever the transport
    await eventually(() => server.openSubscriptions === 0);
  });

  it('with flushIntervalMs, coalesces notifications into one batch array per interval', async () => {
    const { call, events, engine, state } = setup({ flushIntervalMs: 16 });
    const id = await engine.execute(lines(20_000));
    const subscription = (await call('subscribe', { id })).result;
    await eventually(() => events(subscription).at(-1)?.type === 'completed', 20_000);
    const stdout = events(subscription).filter((e) => e.type === 'stdout');
    expect(stdout.map((e) => e.line)).toEqual(Array.from({ length: 20_000 }, (_, i) => `line ${i + 1}`));
    expect(state.batches).toBeGreaterThan(0);
    expect(state.batches).toBeLessThan(2_000); // not one message per line
  });

  it('a subscription with a window sends no more than that many unacknowledged events', async () => {
    const { call, events, engine, deliver } = setup();
    const id = await engine.execute(lines(1_000));
    await engine.waitForCompletion(id);
    const subscription = (await call('subscribe', { id, window: 10 })).result;
    await eventually(() => events(subscription).length === 10);
    await new Promise((resolve) => setTimeout(resolve, 100)); // nothing more comes without an ack
    expect(events(subscription).length).toBe(10);
    deliver({ jsonrpc: '2.0', method: 'ack', params: { subscription, count: 10 } });
    await eventually(() => events(subscription).length === 20);
    expect(events(subscription).map((e) => e.seq)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  });

  it('closing the transport releases every subscription and wait at once', async () => {
    const { call, engine, server, hangUp, answerTo, deliver, state } = setup();
    const id = await engine.execute(waiting());
    await call('subscribe', { id });
    await call('subscribeEvents', {});
    deliver({ jsonrpc: '2.0', id: 'wait', method: 'getResult', params: { id, waitMs: 60_000 } });
    await call('subscribePipeline', {
      id: (await call('startPipeline', { spec: { steps: [{ key: 'w', request: waiting() }] } })).result,
    });
    expect(server.openSubscriptions).toBe(3);
    const sent = state.sent.length;
    hangUp();
    await eventually(() => server.openSubscriptions === 0, 1000);
    expect(server.openSubscriptions).toBe(0);
    await engine.cancel(id);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(state.sent.length).toBe(sent); // nothing more goes out, not even the wait's answer
    await expect(Promise.race([answerTo('wait'), Promise.resolve('none')])).resolves.toBe('none');
  });

  it('drops an engine-wide subscription whose client does not keep up, with subscriptionError', async () => {
    const { call, engine, state } = setup({ maxPendingBytes: 1024 });
    const subscription = (await call('subscribeEvents', { types: ['stdout', 'completed'] })).result;
    await new Promise((resolve) => setImmediate(resolve));
    state.buffered = 10 * 1024 * 1024; // the client stopped reading
    await engine.run(lines(5));
    await eventually(() => state.sent.some((m) => m.method === 'subscriptionError'));
    const dropped = state.sent.find((m) => m.method === 'subscriptionError')!;
    expect(dropped.params).toMatchObject({ subscription, error: { code: 'SUBSCRIPTION_OVERFLOW' } });
  });

  it('refuses what allowRequest refuses, with FORBIDDEN and its reason; checks its options', async () => {
    const { call, engine } = setup({ allowRequest: (request) => (request.cwd === '/' ? 'not in /' : true) });
    const refused = await call('execute', { request: { ...lines(1), cwd: '/' } });
    expect(refused.error).toMatchObject({ code: -32000, data: { code: 'FORBIDDEN', message: 'not in /' } });
    const step = await call('startPipeline', {
      spec: { steps: [{ key: 'a', request: { ...lines(1), cwd: '/' } }] },
    });
    expect(step.error?.data.code).toBe('FORBIDDEN');
    expect(engine.list()).toEqual([]);
    const { transport } = memoryTransport();
    expect(() => serveProtocol(engine, transport, { flushIntervalMs: -1 })).toThrow(InvalidConfigError);
    expect(() => serveProtocol(engine, transport, { maxPendingBytes: 0 })).toThrow(/`maxPendingBytes`/);
  });
});
