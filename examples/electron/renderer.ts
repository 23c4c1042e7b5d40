/**
 * The renderer (the page): runs a command through `window.engine` and shows its output live.
 * It has no Node and no access to Electron: only what preload.ts exposed.
 */
import type { EngineBridge } from 'execution-engine/electron';

// What this page uses of the browser, declared here because this repository typechecks its
// examples without the DOM library. In an app with `"lib": ["DOM"]`, write instead:
//   declare global { interface Window { engine: EngineBridge } }
interface Element {
  textContent: string | null;
  append(text: string): void;
  addEventListener(type: 'click', listener: () => void): void;
}
declare const document: { getElementById(id: string): Element | null };
declare const window: { engine: EngineBridge };

const output = document.getElementById('output')!;
const status = document.getElementById('status')!;
const { engine } = window;

let running: { id: string; stop: () => void } | undefined;

async function start(): Promise<void> {
  running?.stop();
  output.textContent = '';
  const id = await engine.execute({ command: { type: 'exec', program: 'seq', args: ['1', '200000'] } });
  // `lines: 'batched'`: one `output` event per read, not one per line. The main process sends
  // them in one message per frame, so 200,000 lines cost a few hundred messages.
  const stop = engine.subscribe(
    id,
    (event) => {
      if (event.type === 'output') output.append(`${event.lines.join('\n')}\n`);
      else status.textContent = event.type;
    },
    {
      lines: 'batched',
      onError: (error) => {
        status.textContent = `${error.code ?? error.name}: ${error.message}`;
      },
    },
  );
  running = { id, stop };
}

// Errors arrive as plain objects with the engine's `code` (an Error would lose it crossing
// contextBridge).
document.getElementById('start')!.addEventListener('click', () => {
  start().catch((error: { code?: string; message: string }) => {
    status.textContent = `${error.code}: ${error.message}`;
  });
});
document.getElementById('cancel')!.addEventListener('click', () => {
  if (running !== undefined) void engine.cancel(running.id, 'cancelled from the window');
});

// Engine-wide events: a count of finished executions. `on` returns its unsubscribe function.
let finished = 0;
const stopCounting = engine.on('completed', () => {
  finished++;
  document.getElementById('finished')!.textContent = String(finished);
});
document.getElementById('stop-counting')!.addEventListener('click', stopCounting);
