import { EngineClient } from '../client/engine-client.js';
import { messagePortTransport } from '../client/index.js';
import type { ExecutionMetadata } from '../types.js';
import type { EngineBridge } from './bridge-types.js';
import { deferredTransport } from './deferred-transport.js';
import type { ContextBridgeLike, IpcRendererLike } from './electron-shapes.js';
import { createEngineBridge } from './engine-bridge.js';
import { checkMilliseconds, checkName, checkShape, DEFAULT_CHANNEL } from './option-checks.js';
import { requestPort } from './request-port.js';

/** Options of {@link exposeEngineClient}. */
export interface ExposeEngineClientOptions {
  /** Electron's `contextBridge`. */
  contextBridge: ContextBridgeLike;
  /** Electron's `ipcRenderer`. */
  ipcRenderer: IpcRendererLike;
  /** The renderer finds the engine at `window[key]`. @default 'engine' */
  key?: string | undefined;
  /** The channel `exposeEngine` answers on in the main process. @default 'execution-engine' */
  channel?: string | undefined;
  /** Calls fail when the main process has not answered within this time. @default 10000 */
  connectTimeoutMs?: number | undefined;
}

/**
 * In a preload script: asks the main process ({@link exposeEngine}) for a port and puts the
 * engine on `window[key]` through `contextBridge.exposeInMainWorld`, as an {@link EngineBridge}:
 * the engine's methods as plain functions returning promises, `subscribe(id, listener)` and
 * `on(type, listener)` returning their unsubscribe function (functions crossing contextBridge are
 * copies, so removing a listener by reference could never work there). Calls made before the port
 * arrives wait for it. Returns the same API for the preload's own use.
 * @throws InvalidConfigError naming the option (`contextBridge`, `ipcRenderer`, `key`, `channel`,
 * `connectTimeoutMs`).
 * @example
 * ```ts
 * // preload.ts (bundled: a sandboxed preload cannot load packages)
 * import { contextBridge, ipcRenderer } from 'electron';
 * import { exposeEngineClient } from 'execution-engine/electron';
 * exposeEngineClient({ contextBridge, ipcRenderer });
 *
 * // renderer.ts
 * const id = await window.engine.execute({ command: { type: 'exec', program: 'ls', args: ['-l'] } });
 * const stop = window.engine.subscribe(id, (event) => console.log(event), { lines: 'batched' });
 * ```
 */
export function exposeEngineClient<Meta extends ExecutionMetadata = ExecutionMetadata>(
  options: ExposeEngineClientOptions,
): EngineBridge<Meta> {
  const contextBridge = checkShape(
    'contextBridge',
    options?.contextBridge,
    ['exposeInMainWorld'],
    "Electron's contextBridge",
  );
  const ipcRenderer = checkShape(
    'ipcRenderer',
    options.ipcRenderer,
    ['send', 'on', 'removeListener'],
    "Electron's ipcRenderer",
  );
  const key = checkName('key', options.key, 'engine');
  const channel = checkName('channel', options.channel, DEFAULT_CHANNEL);
  const timeoutMs = checkMilliseconds('connectTimeoutMs', options.connectTimeoutMs, 1, 10_000);
  const connecting = requestPort(ipcRenderer, channel, timeoutMs).then((port) => messagePortTransport(port));
  const bridge = createEngineBridge(new EngineClient<Meta>(deferredTransport(connecting)));
  contextBridge.exposeInMainWorld(key, bridge);
  return bridge;
}
