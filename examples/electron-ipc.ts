/**
 * Forwarding engine events to an Electron renderer.
 *
 *   npx tsx examples/electron-ipc.ts
 *
 * In Electron the engine lives in the main process (it needs Node's child_process); the
 * renderer only sees events and asks for work through IPC. This file runs without Electron:
 * `send` below is a stub that logs, and `handle`/`invoke` stand in for ipcMain.handle and
 * ipcRenderer.invoke. The comments show what goes there in a real app.
 */
import {
  type EventHandler,
  ExecutionEngine,
  type ExecutionEvent,
  type ExecutionRequest,
  exec,
  shell,
} from 'execution-engine';

// --- In a real app ---------------------------------------------------------------------------
//
//   // main.ts (main process)
//   import { app, BrowserWindow, ipcMain } from 'electron';
//   const engine = new ExecutionEngine();
//   const win = new BrowserWindow({ webPreferences: { preload } });
//   const send = (channel: string, payload: unknown) => {
//     if (!win.isDestroyed()) win.webContents.send(channel, payload);
//   };
//   const unsubscribe = engine.addEventHandler(new IpcForwarder(send));
//   win.on('closed', unsubscribe);                       // stop forwarding to a dead window
//   ipcMain.handle('engine:run-task', (_e, name: string) => runTask(name));
//   ipcMain.handle('engine:cancel', (_e, id: string) => engine.cancel(id, 'cancelled by user'));
//   app.on('before-quit', () => void engine.shutdown({ graceMs: 2000 }));
//
//   // preload.ts
//   contextBridge.exposeInMainWorld('engine', {
//     runTask: (name: string) => ipcRenderer.invoke('engine:run-task', name),
//     cancel: (id: string) => ipcRenderer.invoke('engine:cancel', id),
//     onEvent: (listener: (event: unknown) => void) =>
//       ipcRenderer.on('engine:event', (_e, event) => listener(event)),
//   });
//
// ---------------------------------------------------------------------------------------------

/** Where the events go. In Electron: `win.webContents.send(channel, payload)`. */
type Send = (channel: string, payload: unknown) => void;

/**
 * An EventHandler that forwards every event to the renderer on one channel. Handlers see each
 * execution's events in `seq` order, and the terminal event (completed, failed, timeout,
 * cancelled) is always the last one, so the renderer can close its view of an execution then.
 * If `send` throws, the engine reports it on `handlerError`; the execution is unaffected.
 */
class IpcForwarder implements EventHandler {
  readonly #send: Send;

  constructor(send: Send) {
    this.#send = send;
  }

  handleEvent(event: ExecutionEvent): void {
    // Events are plain objects (results hold Dates), which Electron's structured clone copies
    // as they are. Nothing to convert.
    this.#send('engine:event', event);
  }
}

// The stub: log what would be sent. Output lines are shown in full, lifecycle events briefly.
const send: Send = (channel, payload) => {
  const event = payload as ExecutionEvent;
  const detail =
    event.type === 'stdout' || event.type === 'stderr'
      ? JSON.stringify(event.line)
      : 'result' in event
        ? `status=${event.result.status} exitCode=${event.result.exitCode}`
        : '';
  console.log(`send(${channel}) #${event.seq} ${event.type} [${event.metadata?.task}] ${detail}`);
};

const engine = new ExecutionEngine({ killGraceMs: 1000 });
const unsubscribe = engine.addEventHandler(new IpcForwarder(send));
// A forwarder that fails (say, the window is gone) must not go unnoticed.
engine.on('handlerError', (error, event) => console.error(`could not forward ${event.type}:`, error));

// The renderer must not be able to run arbitrary commands: expose named tasks, not `execute`.
// A compromised renderer could otherwise run anything with the app's rights.
const TASKS: Record<string, ExecutionRequest['command']> = {
  'node-version': exec(process.execPath, ['--version']),
  'slow-count': shell('for i in 1 2 3; do echo "count $i"; sleep 0.3; done'),
};

async function runTask(name: string): Promise<string> {
  const command = TASKS[name];
  if (command === undefined) throw new Error(`Unknown task ${name}`);
  // The id goes back to the renderer, which uses it to match events and to cancel.
  return engine.execute({ command, metadata: { task: name }, timeoutMs: 60_000 });
}

// --- Stand-ins for ipcMain.handle / ipcRenderer.invoke ------------------------------------------
const handlers = new Map<string, (...args: string[]) => Promise<unknown>>();
const handle = (channel: string, fn: (...args: string[]) => Promise<unknown>) => handlers.set(channel, fn);
const invoke = (channel: string, ...args: string[]) => {
  const fn = handlers.get(channel);
  if (fn === undefined) return Promise.reject(new Error(`No handler for ${channel}`));
  return fn(...args);
};

handle('engine:run-task', (name) => runTask(name));
handle('engine:cancel', (id) => engine.cancel(id, 'cancelled by user'));

// --- What the renderer would do ------------------------------------------------------------------
const versionId = (await invoke('engine:run-task', 'node-version')) as string;
const countId = (await invoke('engine:run-task', 'slow-count')) as string;
// The user presses "Stop" on the slow task after a moment.
await new Promise((resolve) => setTimeout(resolve, 500));
await invoke('engine:cancel', countId);

await engine.waitForCompletion(versionId);
await engine.waitForCompletion(countId);

// The window closed: stop forwarding, then stop the engine (the app is quitting).
unsubscribe();
await engine.shutdown();
