/**
 * Forwarding engine events to an Electron renderer, in batches, and quitting only once the engine
 * has shut down. This is the hand-made way, for a renderer that may only run named tasks; to give
 * a renderer the engine's whole API, see examples/electron/ (`execution-engine/electron`).
 *
 *   npx tsx examples/electron-ipc.ts
 *
 * In Electron the engine lives in the main process (it needs Node's child_process); the
 * renderer only sees events and asks for work through IPC. This file runs without Electron:
 * `send` below counts and logs, `handle`/`invoke` stand in for ipcMain.handle and
 * ipcRenderer.invoke, and a small `app` stands in for Electron's. The comments show what goes
 * there in a real app.
 */
import { EventEmitter } from 'node:events';
import {
  type BatchedEvent,
  type BatchedEventHandler,
  ExecutionEngine,
  type ExecutionRequest,
  exec,
  isTerminalEvent,
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
//   const unsubscribe = engine.addEventHandler(new IpcForwarder(send), { lines: 'batched' });
//   win.on('closed', unsubscribe);                       // stop forwarding to a dead window
//   ipcMain.handle('engine:run-task', (_e, name: string) => runTask(name));
//   ipcMain.handle('engine:cancel', (_e, id: string) => engine.cancel(id, 'cancelled by user'));
//   quitAfterShutdown(app, engine, 500);                      // below
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
 * Forwards events to the renderer on one channel. Added with `{ lines: 'batched' }`, it gets the
 * lines of each read from the pipe as one `output` event (`lines: string[]`) instead of one
 * `stdout`/`stderr` event per line: a command printing 300,000 lines costs a few hundred IPC
 * messages, not 300,000. The renderer already has every line, so the terminal event goes without
 * the result's `stdout`/`stderr` (which would send the whole output a second time).
 *
 * Handlers see each execution's events in `seq` order, and the terminal event (completed, failed,
 * timeout, cancelled) is always the last one, so the renderer can close its view then. If `send`
 * throws, the engine reports it on `handlerError`; the execution is unaffected.
 */
class IpcForwarder implements BatchedEventHandler {
  readonly #send: Send;

  constructor(send: Send) {
    this.#send = send;
  }

  handleEvent(event: BatchedEvent): void {
    if (event.type !== 'output' && isTerminalEvent(event)) {
      const { stdout: _stdout, stderr: _stderr, ...result } = event.result;
      this.#send('engine:event', { ...event, result });
      return;
    }
    // Events are plain objects (results hold Dates), which Electron's structured clone copies
    // as they are. Nothing to convert.
    this.#send('engine:event', event);
  }
}

/**
 * Electron quits without waiting for promises. `before-quit` is cancelled once, the engine shuts
 * down (running commands get `graceMs` to end, then their process trees are killed), and the
 * app quits again for real. Nothing the engine started outlives the app.
 */
function quitAfterShutdown(app: QuitEmitter, engine: ExecutionEngine, graceMs = 2000): void {
  let stopping = false;
  app.on('before-quit', (event: { preventDefault(): void }) => {
    if (stopping) return; // the second quit, after shutdown: let it through
    event.preventDefault();
    stopping = true;
    void engine
      .shutdown({ graceMs })
      .catch((error: unknown) => console.error('engine shutdown failed:', error))
      .finally(() => app.quit());
  });
}

/** What `quitAfterShutdown` needs of Electron's `app`. */
interface QuitEmitter {
  on(event: 'before-quit', listener: (event: { preventDefault(): void }) => void): unknown;
  quit(): void;
}

// --- The stand-ins ---------------------------------------------------------------------------
let messages = 0;
let bytes = 0;
const send: Send = (channel, payload) => {
  messages++;
  bytes += JSON.stringify(payload).length;
  const event = payload as BatchedEvent;
  if (event.type === 'output') return; // counted, not logged: there are many
  const detail = isTerminalEvent(event)
    ? `status=${event.result.status} exitCode=${event.result.exitCode}`
    : '';
  console.log(`send(${channel}) #${event.seq} ${event.type} [${event.metadata?.task}] ${detail}`);
};

/** Electron's `app`, reduced to quitting: `quit()` emits `before-quit`, which may cancel it. */
class FakeApp extends EventEmitter implements QuitEmitter {
  #quit: () => void = () => {};
  /** Resolves when the app really quits. */
  readonly quitted = new Promise<void>((resolve) => {
    this.#quit = resolve;
  });
  quit(): void {
    let cancelled = false;
    this.emit('before-quit', { preventDefault: () => (cancelled = true) });
    if (!cancelled) this.#quit();
  }
}

const engine = new ExecutionEngine({ killGraceMs: 1000, streamOutput: true });
const app = new FakeApp();
quitAfterShutdown(app, engine, 500);
engine.addEventHandler(new IpcForwarder(send), { lines: 'batched' });
// A forwarder that fails (say, the window is gone) must not go unnoticed.
engine.on('handlerError', (error, event) => console.error(`could not forward ${event.type}:`, error));

// The renderer must not be able to run arbitrary commands: expose named tasks, not `execute`.
// A compromised renderer could otherwise run anything with the app's rights.
const TASKS: Record<string, ExecutionRequest['command']> = {
  'node-version': exec(process.execPath, ['--version']),
  'count-lines': exec(process.execPath, ['-e', 'for (let i = 1; i <= 300000; i++) console.log(i)']),
  'slow-count': shell('for i in 1 2 3 4 5 6 7 8 9; do echo "count $i"; sleep 0.3; done'),
};

async function runTask(name: string): Promise<string> {
  const command = TASKS[name];
  if (command === undefined) throw new Error(`Unknown task ${name}`);
  // The id goes back to the renderer, which uses it to match events and to cancel.
  return engine.execute({ command, metadata: { task: name }, timeoutMs: 60_000 });
}

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
const countId = (await invoke('engine:run-task', 'count-lines')) as string;
await engine.waitForCompletion(versionId);
await engine.waitForCompletion(countId);
console.log(
  `300,000 lines reached the renderer in ${messages} messages, ${(bytes / 1e6).toFixed(1)} MB of JSON`,
);

// A slow task is still running when the user quits: the app waits for the engine to stop it.
const slowId = (await invoke('engine:run-task', 'slow-count')) as string;
await new Promise((resolve) => engine.once('stdout', resolve));
app.quit();
await app.quitted;
console.log(`quit after shutdown: slow-count ended ${engine.getStatus(slowId)}`);
