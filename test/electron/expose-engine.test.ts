import type { MessagePort } from 'node:worker_threads';
import { MessageChannel } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type BridgeError,
  type EngineBridge,
  exposeEngine,
  exposeEngineClient,
} from '../../src/electron/index.js';
import { type ExecutionEngine, type ExecutionRequest, exec, shell } from '../../src/index.js';
import { fakeContextBridge, fakeIpc, MessageChannelMainStandIn } from '../helpers/electron-fakes.js';
import { createEngine } from '../helpers/engine.js';
import { fixture, node } from '../helpers/fixtures.js';
import { eventually } from '../helpers/processes.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  MessageChannelMainStandIn.created.length = 0;
});

/** An engine exposed in a fake main process, and one renderer's `window.engine`. */
function connect(engine: ExecutionEngine, options: { flushIntervalMs?: number } = {}) {
  const { ipcMain, renderer } = fakeIpc();
  const exposed = exposeEngine(engine, {
    ipcMain,
    MessageChannelMain: MessageChannelMainStandIn,
    ...options,
  });
  const { window, contextBridge } = fakeContextBridge();
  exposeEngineClient({ contextBridge, ipcRenderer: renderer() });
  const bridge = window.engine as EngineBridge;
  cleanups.push(() => exposed.close());
  return { exposed, bridge, ipcMain, renderer };
}

/** The renderer's end of a served port (the first one by default), and the messages that reach it from now on. */
function tapRendererPort(index = 0): { port: MessagePort; messages: unknown[] } {
  const port = MessageChannelMainStandIn.created[index]!.port2.inner;
  const messages: unknown[] = [];
  port.on('message', (message: unknown) => messages.push(message));
  return { port, messages };
}

/** The JSON-RPC messages in port messages (each one message or a batch array of them). */
const rpcIn = (messages: unknown[]) =>
  messages.flatMap((m) => (Array.isArray(m) ? m : [m])) as { id?: unknown; result?: unknown }[];
const notificationsIn = (messages: unknown[]) => rpcIn(messages).filter((m) => m.id === undefined);

/** Resolves once the engine's commands have printed `n` more lines. */
const printed = (engine: ExecutionEngine, n: number) =>
  new Promise<void>((resolve) => {
    let seen = 0;
    const count = () => {
      if (++seen < n) return;
      engine.off('stdout', count);
      resolve();
    };
    engine.on('stdout', count);
  });

const ticker = () => shell('i=0; while :; do i=$((i+1)); echo "tick $i"; sleep 0.01; done');

describe('exposeEngine and exposeEngineClient', () => {
  it('answers calls from the renderer, with dates intact and errors carrying their code and field', async () => {
    const engine = createEngine();
    const { bridge } = connect(engine);
    const id = await bridge.execute({ command: exec(node, [fixture('print-lines.js'), '3']) });
    const result = await bridge.waitForCompletion(id);
    expect(result).toMatchObject({ id, status: 'completed', stdout: 'line 1\nline 2\nline 3' });
    expect(result.completedAt).toBeInstanceOf(Date);
    expect((await bridge.getExecution(id)).status).toBe('completed');
    expect((await bridge.list()).map((snapshot) => snapshot.id)).toEqual([id]);
    expect((await bridge.stats()).completed).toBe(1);

    const invalid = await bridge
      .execute({ command: { type: 'exec', program: '' } })
      .catch((e: BridgeError) => e);
    expect(invalid).toMatchObject({ code: 'INVALID_REQUEST', field: 'command.program' });
    const missing = await bridge.getExecution('nope').catch((e: BridgeError) => e);
    expect(missing).toMatchObject({ code: 'EXECUTION_NOT_FOUND', executionId: 'nope' });
    const failed = await bridge
      .run({ command: exec(node, [fixture('exit-with.js'), '3']) })
      .catch((e: BridgeError) => e);
    expect(failed).toMatchObject({ code: 'COMMAND_FAILED', result: { exitCode: 3 } });
  });

  it('delivers the 200,000 lines of seq to the renderer complete and in order, in far fewer messages', async () => {
    const engine = createEngine();
    const { bridge } = connect(engine);
    await bridge.stats(); // connected: the port exists
    const { messages } = tapRendererPort();
    const id = await bridge.execute({ command: exec('seq', ['1', '200000']) });
    const lines: string[] = [];
    const ended = new Promise<string>((resolve) => {
      bridge.subscribe(
        id,
        (event) => {
          if (event.type === 'output') lines.push(...event.lines);
          if (event.type === 'completed' || event.type === 'failed') resolve(event.type);
        },
        { lines: 'batched' },
      );
    });
    expect(await ended).toBe('completed');
    expect(lines.length).toBe(200_000);
    expect(lines.every((line, i) => line === String(i + 1))).toBe(true);
    expect(messages.length).toBeLessThan(200);
    console.log(`seq 1 200000, lines: 'batched': ${messages.length} port messages`);
  });

  it("coalesces one notification per line (lines: 'each') into one message per frame", async () => {
    const engine = createEngine();
    const { bridge } = connect(engine);
    await bridge.stats();
    const { messages } = tapRendererPort();
    const id = await bridge.execute({ command: exec('seq', ['1', '200000']) });
    const lines: string[] = [];
    await new Promise<void>((resolve) => {
      bridge.subscribe(id, (event) => {
        if (event.type === 'stdout') lines.push(event.line);
        if (event.type === 'completed') resolve();
      });
    });
    expect(lines.every((line, i) => line === String(i + 1)) && lines.length === 200_000).toBe(true);
    expect(notificationsIn(messages).length).toBeGreaterThanOrEqual(200_000);
    expect(messages.length).toBeLessThan(2_000); // a hundredth of the notifications, or fewer
    console.log(`seq 1 200000, lines: 'each': ${messages.length} port messages`);
  }, 60_000);

  it('refuses what allowRequest refuses, with FORBIDDEN and its reason', async () => {
    const engine = createEngine();
    const { ipcMain, renderer } = fakeIpc();
    const allowRequest = (request: ExecutionRequest) => request.command.type === 'exec' || 'only exec';
    const exposed = exposeEngine(engine, {
      ipcMain,
      MessageChannelMain: MessageChannelMainStandIn,
      allowRequest,
    });
    cleanups.push(() => exposed.close());
    const { window, contextBridge } = fakeContextBridge();
    exposeEngineClient({ contextBridge, ipcRenderer: renderer() });
    const bridge = window.engine as EngineBridge;
    await expect(bridge.execute({ command: shell('echo hi') })).rejects.toMatchObject({
      code: 'FORBIDDEN',
      message: expect.stringContaining('only exec'),
    });
    expect(engine.list()).toEqual([]);
    await expect(bridge.run({ command: exec(node, ['-e', '']) })).resolves.toMatchObject({
      status: 'completed',
    });
  });

  it('stops delivery and releases the subscription in the main process when the unsubscribe function is called', async () => {
    const engine = createEngine();
    const { bridge, exposed } = connect(engine);
    await bridge.stats();
    const { messages } = tapRendererPort();
    const id = await bridge.execute({ command: ticker() });
    let received = 0;
    const unsubscribe = bridge.subscribe(id, () => received++);
    expect(await eventually(() => received > 5, 10_000)).toBe(true);
    expect(exposed.openSubscriptions).toBe(1);
    unsubscribe();
    expect(await eventually(() => exposed.openSubscriptions === 0, 5000)).toBe(true);
    // Once the unsubscribe has been answered, nothing more is sent for it while the command prints on.
    expect(await eventually(() => rpcIn(messages).some((m) => m.result === true), 5000)).toBe(true);
    await printed(engine, 5);
    const [sent, delivered] = [notificationsIn(messages).length, received];
    await printed(engine, 20);
    expect(notificationsIn(messages).length).toBe(sent);
    expect(received).toBe(delivered);
    expect(engine.getStatus(id)).toBe('running'); // the command is unaffected
  });

  it('an unsubscribe called at once, before the subscription is set up, still releases it', async () => {
    const engine = createEngine();
    const { bridge, exposed } = connect(engine);
    await bridge.stats();
    const { messages } = tapRendererPort();
    const id = await bridge.execute({ command: ticker() });
    let received = 0;
    bridge.subscribe(id, () => received++)();
    const unsubscribed = () =>
      rpcIn(messages).filter((m) => m.result === true).length === 1 && notificationsIn(messages).length > 0;
    expect(await eventually(unsubscribed, 10_000)).toBe(true);
    const sent = notificationsIn(messages).length;
    await printed(engine, 20);
    expect(notificationsIn(messages).length).toBe(sent);
    expect(received).toBe(0);
    expect(exposed.openSubscriptions).toBe(0);
  });

  it('on() returns its own unsubscribe function, whatever contextBridge made of the listener', async () => {
    // electron/electron#33328: contextBridge hands the preload a new copy of a function at each
    // call, so removing a listener by reference never matches and listeners pile up.
    const engine = createEngine();
    const { bridge, exposed } = connect(engine);
    const seen: string[] = [];
    const listener = (event: { executionId: string }) => seen.push(event.executionId);
    const first = bridge.on('completed', listener);
    const second = bridge.on('completed', listener); // the same renderer function, twice
    const run = async (name: string) =>
      bridge.run({ id: name, command: exec(node, [fixture('print-lines.js'), '1']) });
    await bridge.stats(); // the engine-wide subscription is set up before the first run
    await run('a');
    expect(await eventually(() => seen.length === 2, 5000)).toBe(true);
    first();
    first(); // a second call does nothing
    await run('b');
    expect(await eventually(() => seen.includes('b'), 5000)).toBe(true);
    second();
    await run('c');
    await bridge.stats(); // a round trip: an event for `c` would have arrived before this answer
    expect(seen).toEqual(['a', 'a', 'b']);
    expect(exposed.openSubscriptions).toBe(0); // the engine-wide subscription is gone with the last listener
  });

  it('releases everything of a renderer whose port closes; other renderers go on', async () => {
    const engine = createEngine();
    const { exposed, bridge, renderer } = connect(engine);
    const { window, contextBridge } = fakeContextBridge();
    exposeEngineClient({ contextBridge, ipcRenderer: renderer() });
    const other = window.engine as EngineBridge;
    await bridge.stats();
    const { port } = tapRendererPort();
    await other.stats();
    expect(exposed.connections).toBe(2);
    const id = await bridge.execute({ command: ticker() });
    let received = 0;
    bridge.subscribe(id, () => received++);
    bridge.on('stdout', () => {});
    expect(await eventually(() => received > 0, 10_000)).toBe(true);
    expect(await eventually(() => exposed.openSubscriptions === 2, 5000)).toBe(true);
    port.close(); // the window is closed, reloaded or crashed
    expect(await eventually(() => exposed.connections === 1, 5000)).toBe(true);
    expect(exposed.openSubscriptions).toBe(0);
    expect(engine.getStatus(id)).toBe('running');
    expect(await other.cancel(id)).toBe(true);
    expect((await other.waitForCompletion(id)).status).toBe('cancelled');
  });

  it('close() stops answering and closes the served ports', async () => {
    const engine = createEngine();
    const { exposed, bridge, ipcMain, renderer } = connect(engine);
    await bridge.stats();
    const { port } = tapRendererPort();
    const closed = new Promise((resolve) => port.once('close', resolve));
    await exposed.close();
    await closed;
    expect(exposed.connections).toBe(0);
    expect(ipcMain.listenerCount('execution-engine')).toBe(0);
    const { window, contextBridge } = fakeContextBridge();
    exposeEngineClient({ contextBridge, ipcRenderer: renderer(), connectTimeoutMs: 200 });
    const late = await (window.engine as EngineBridge).stats().catch((e: BridgeError) => e);
    expect((late as BridgeError).message).toMatch(/No engine answered on `execution-engine` within 200 ms/);
  });

  it("serves over Node's MessageChannel and a custom channel, refusing senders allowSender rejects", async () => {
    const engine = createEngine();
    const { ipcMain, renderer } = fakeIpc();
    let asked = 0;
    const exposed = exposeEngine(engine, {
      ipcMain,
      channel: 'engine-port',
      MessageChannelMain: MessageChannel,
      flushIntervalMs: 0,
      allowSender: () => ++asked === 1,
    });
    cleanups.push(() => exposed.close());
    const { window, contextBridge } = fakeContextBridge();
    exposeEngineClient({ contextBridge, ipcRenderer: renderer(), channel: 'engine-port', key: 'tasks' });
    const bridge = window.tasks as EngineBridge;
    const result = await bridge.run({ command: exec(node, [fixture('print-lines.js'), '2']) });
    expect(result.stdout).toBe('line 1\nline 2');
    const refused = fakeContextBridge();
    const options = { ipcRenderer: renderer(), channel: 'engine-port', connectTimeoutMs: 200 };
    exposeEngineClient({ ...options, contextBridge: refused.contextBridge });
    await expect((refused.window.engine as EngineBridge).stats()).rejects.toMatchObject({
      message: expect.stringMatching(/No engine answered/),
    });
    expect(exposed.connections).toBe(1);
  });
});
