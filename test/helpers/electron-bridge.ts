import type { MessagePort } from 'node:worker_threads';
import { afterEach } from 'vitest';
import { type EngineBridge, exposeEngine, exposeEngineClient } from '../../src/electron/index.js';
import { type ExecutionEngine, shell } from '../../src/index.js';
import { fakeContextBridge, fakeIpc, MessageChannelMainStandIn } from './electron-fakes.js';

const cleanups: (() => Promise<void> | void)[] = [];

/** Runs after each test of a file that imports this helper: closes what {@link connect} exposed. */
export function onCleanup(cleanup: () => Promise<void> | void): void {
  cleanups.push(cleanup);
}

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  MessageChannelMainStandIn.created.length = 0;
});

/** An engine exposed in a fake main process, and one renderer's `window.engine`. */
export function connect(engine: ExecutionEngine, options: { flushIntervalMs?: number } = {}) {
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
export function tapRendererPort(index = 0): { port: MessagePort; messages: unknown[] } {
  const port = MessageChannelMainStandIn.created[index]!.port2.inner;
  const messages: unknown[] = [];
  port.on('message', (message: unknown) => messages.push(message));
  return { port, messages };
}

/** The JSON-RPC messages in port messages (each one message or a batch array of them). */
export const rpcIn = (messages: unknown[]) =>
  messages.flatMap((m) => (Array.isArray(m) ? m : [m])) as { id?: unknown; result?: unknown }[];

/** The notifications (messages without an id) in port messages. */
export const notificationsIn = (messages: unknown[]) => rpcIn(messages).filter((m) => m.id === undefined);

/** Resolves once the engine's commands have printed `n` more lines. */
export const printed = (engine: ExecutionEngine, n: number) =>
  new Promise<void>((resolve) => {
    let seen = 0;
    const count = () => {
      if (++seen < n) return;
      engine.off('stdout', count);
      resolve();
    };
    engine.on('stdout', count);
  });

/** A command printing `tick <n>` every 10 ms until it is stopped. */
export const ticker = () => shell('i=0; while :; do i=$((i+1)); echo "tick $i"; sleep 0.01; done');
