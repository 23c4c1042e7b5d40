// A host for test/electron/message-channel-main.test.ts: pretends to be Electron's main process
// (`process.versions.electron`), where `require('electron')` finds the module given by NODE_PATH,
// exposes an engine without passing `MessageChannelMain`, asks for a port as a preload would, and
// prints one JSON line: whether a port arrived and the engine answered through it.
// Usage: NODE_PATH=<dir with electron/> node --import tsx electron-main-host.ts
import { EventEmitter } from 'node:events';
import { writeSync } from 'node:fs';

Object.defineProperty(process.versions, 'electron', { value: '33.0.0', enumerable: true });
const { ExecutionEngine } = await import('../src/index.js');
const { exposeEngine, exposeEngineClient } = await import('../src/electron/index.js');

const main = new EventEmitter();
const preload = new EventEmitter();
const sender = {
  postMessage: (channel: string, message: unknown, ports: unknown[] = []) =>
    preload.emit(channel, { ports }, message),
};
const engine = new ExecutionEngine();
const exposed = exposeEngine(engine, {
  ipcMain: { on: (c, l) => main.on(c, l), removeListener: (c, l) => main.removeListener(c, l) },
});
let api: { stats(): Promise<{ running: number }> } | undefined;
exposeEngineClient({
  contextBridge: { exposeInMainWorld: (_key, value) => (api = value as typeof api) },
  ipcRenderer: {
    send: (channel, ...args) => setImmediate(() => main.emit(channel, { sender }, ...args)),
    on: (c, l) => preload.on(c, l),
    removeListener: (c, l) => preload.removeListener(c, l),
  },
});
const stats = await api!.stats();
writeSync(1, `${JSON.stringify({ connections: exposed.connections, running: stats.running })}\n`);
await exposed.close();
await engine.shutdown();
