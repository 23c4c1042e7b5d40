/**
 * Electron's main process: the engine lives here (it needs Node's child_process); renderers reach
 * it through a MessagePort that `exposeEngine` hands to each one's preload (preload.ts).
 *
 *   Build main.ts and preload.ts (a sandboxed preload cannot load packages: bundle it, e.g. with
 *   esbuild), then `electron .`. See docs/desktop.md.
 */
import { join } from 'node:path';
import { app, BrowserWindow, ipcMain } from 'electron';
import { ExecutionEngine } from 'execution-engine';
import { exposeEngine, quitAfterShutdown } from 'execution-engine/electron';

const engine = new ExecutionEngine({ maxConcurrentExecutions: 4 });

// Answers each preload's request with a port serving the engine. Output reaches the renderer in
// one message per 16 ms frame, however many lines a command prints. `allowSender` is where to
// check `event.senderFrame.url` if a window may ever load content you do not control: whoever
// gets the port can run any command with the app's rights.
const exposed = exposeEngine(engine, { ipcMain });

// Quitting waits for the engine: running commands get 2 s, then their process trees are killed.
// The ports close first, so renderers stop receiving events.
app.on('before-quit', () => void exposed.close());
quitAfterShutdown(app, engine, { graceMs: 2000 });

app.on('window-all-closed', () => app.quit());

void app.whenReady().then(() => {
  const window = new BrowserWindow({
    width: 960,
    height: 640,
    // The defaults, said out loud: the renderer sees only what preload.ts exposes.
    webPreferences: {
      preload: join(import.meta.dirname, 'preload.js'),
      contextIsolation: true,
      sandbox: true,
    },
  });
  return window.loadFile(join(import.meta.dirname, 'index.html'));
});
