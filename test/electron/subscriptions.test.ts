import { describe, expect, it } from 'vitest';
import { type EngineBridge, exposeEngineClient } from '../../src/electron/index.js';
import { exec } from '../../src/index.js';
import {
  connect,
  notificationsIn,
  printed,
  rpcIn,
  tapRendererPort,
  ticker,
} from '../helpers/electron-bridge.js';
import { fakeContextBridge } from '../helpers/electron-fakes.js';
import { createEngine } from '../helpers/engine.js';
import { fixture, node } from '../helpers/fixtures.js';
import { eventually } from '../helpers/processes.js';

describe('subscriptions through the bridge: unsubscribe functions and closed ports release them in the main process', () => {
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
});
