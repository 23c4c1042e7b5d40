/**
 * The frontend (the webview): starts the engine's sidecar once and uses it as an `EngineClient`.
 * The sidecar is `execution-engine serve --stdio` packaged as one executable
 * (scripts/build-sidecar.mjs) and declared in src-tauri/tauri.conf.json (`bundle.externalBin`);
 * src-tauri/capabilities/default.json allows spawning it with exactly those arguments.
 */
import { Command } from '@tauri-apps/plugin-shell';
import { EngineClient } from 'execution-engine/client';
import { sidecarTransport, stopSidecar } from './sidecar-transport.js';

const { transport, child } = await sidecarTransport(
  Command.sidecar('binaries/execution-engine', ['serve', '--stdio']),
);
const engine = new EngineClient(transport);

// The engine's own methods and errors. Output comes batched: one `output` event per read.
const id = await engine.execute({ command: { type: 'exec', program: 'seq', args: ['1', '100000'] } });
let lines = 0;
for await (const event of engine.subscribe(id, { lines: 'batched' })) {
  if (event.type === 'output') lines += event.lines.length;
  else console.log(event.type);
}
console.log(`${lines} lines`);

// Stopping the engine while the app goes on (the app's own quit needs nothing: the sidecar stops
// itself and its commands when the app's process goes away, even on a force-quit or a crash).
export const stopEngine = () => stopSidecar(engine, child);
