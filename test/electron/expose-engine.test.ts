import { MessageChannel } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import {
  type BridgeError,
  type EngineBridge,
  exposeEngine,
  exposeEngineClient,
} from '../../src/electron/index.js';
import { type ExecutionRequest, exec, shell } from '../../src/index.js';
import { connect, notificationsIn, onCleanup, tapRendererPort } from '../helpers/electron-bridge.js';
import { fakeContextBridge, fakeIpc, MessageChannelMainStandIn } from '../helpers/electron-fakes.js';
import { createEngine } from '../helpers/engine.js';
import { fixture, node } from '../helpers/fixtures.js';

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
    onCleanup(() => exposed.close());
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
    onCleanup(() => exposed.close());
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
