import { EventEmitter } from 'node:events';
import { MessageChannel, type MessagePort } from 'node:worker_threads';

/**
 * Electron's `MessagePortMain` over one end of Node's `MessageChannel`: an EventEmitter whose
 * `message` events carry `{ data, ports }`, and which delivers nothing until `start()`, as
 * Electron's does. `inner` is what the renderer gets when the port is sent over IPC.
 */
export class PortMain extends EventEmitter {
  readonly inner: MessagePort;
  #started = false;
  constructor(inner: MessagePort) {
    super();
    this.inner = inner;
  }
  postMessage(message: unknown): void {
    this.inner.postMessage(message);
  }
  start(): void {
    if (this.#started) return;
    this.#started = true;
    this.inner.on('message', (data: unknown) => this.emit('message', { data, ports: [] }));
    this.inner.on('close', () => this.emit('close'));
  }
  close(): void {
    this.inner.close();
  }
}

/** Electron's `MessageChannelMain`, made of two {@link PortMain}s. */
export class MessageChannelMainStandIn {
  static created: MessageChannelMainStandIn[] = [];
  readonly port1: PortMain;
  readonly port2: PortMain;
  constructor() {
    const { port1, port2 } = new MessageChannel();
    this.port1 = new PortMain(port1);
    this.port2 = new PortMain(port2);
    MessageChannelMainStandIn.created.push(this);
  }
}

// biome-ignore lint/suspicious/noExplicitAny: Electron's listeners take its own event types
type Listener = (event: any, ...args: any[]) => void;

/**
 * `ipcMain` and a renderer's `ipcRenderer`, asynchronous and copying like Electron's IPC: a
 * message is structured-cloned, and ports sent with `sender.postMessage` arrive as the renderer's
 * `event.ports` (the Node port inside a {@link PortMain}).
 */
export function fakeIpc() {
  const main = new EventEmitter();
  const ipcMain = {
    on: (channel: string, listener: Listener) => main.on(channel, listener),
    removeListener: (channel: string, listener: Listener) => main.removeListener(channel, listener),
    listenerCount: (channel: string) => main.listenerCount(channel),
  };
  /** One renderer (a window): its `ipcRenderer`. */
  const renderer = () => {
    const own = new EventEmitter();
    const sender = {
      postMessage(channel: string, message: unknown, transfer: unknown[] = []) {
        const ports = transfer.map((port) => (port instanceof PortMain ? port.inner : port));
        setImmediate(() => own.emit(channel, { ports }, structuredClone(message)));
      },
    };
    return {
      send(channel: string, ...args: unknown[]) {
        const copies = structuredClone(args);
        setImmediate(() => main.emit(channel, { sender, ports: [] }, ...copies));
      },
      on: (channel: string, listener: Listener) => own.on(channel, listener),
      removeListener: (channel: string, listener: Listener) => own.removeListener(channel, listener),
    };
  };
  return { ipcMain, renderer };
}

/**
 * Copies a value from one world to the other as contextBridge does: functions become new proxies
 * at every crossing (so identity never survives), promises settle with copies, an Error keeps only
 * its message, objects lose their prototype and symbol keys (no class instance, no async iterator
 * survives) and are frozen; Dates and typed arrays are structured-cloned.
 */
export function crossWorlds(value: unknown): unknown {
  if (typeof value === 'function') {
    const original = value as (...args: unknown[]) => unknown;
    return (...args: unknown[]) => crossWorlds(original(...args.map(crossWorlds)));
  }
  if (typeof value !== 'object' || value === null) return value;
  if (value instanceof Promise) {
    return new Promise((resolve, reject) =>
      value.then(
        (result) => resolve(crossWorlds(result)),
        (error) => reject(crossWorlds(error)),
      ),
    );
  }
  if (value instanceof Error) return new Error(value.message);
  if (value instanceof Date || ArrayBuffer.isView(value)) return structuredClone(value);
  if (Array.isArray(value)) return Object.freeze(value.map(crossWorlds));
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value)) copy[key] = crossWorlds((value as Record<string, unknown>)[key]);
  return Object.freeze(copy);
}

/** Electron's `contextBridge` over a fake main world (the renderer's `window`). */
export function fakeContextBridge() {
  const window: Record<string, unknown> = {};
  return {
    window,
    contextBridge: {
      exposeInMainWorld(key: string, api: unknown) {
        window[key] = crossWorlds(api);
      },
    },
  };
}

/** Electron's `app`, reduced to quitting: `quit()` emits `before-quit`, which may cancel it. */
export class FakeApp extends EventEmitter {
  quitAttempts = 0;
  #quit: () => void = () => {};
  /** Resolves when the app really quits. */
  readonly quitted = new Promise<void>((resolve) => {
    this.#quit = resolve;
  });
  quit(): void {
    this.quitAttempts++;
    let cancelled = false;
    this.emit('before-quit', { preventDefault: () => (cancelled = true) });
    if (!cancelled) this.#quit();
  }
}
