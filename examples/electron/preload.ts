/**
 * The preload script: asks the main process for the engine's port and puts the engine on
 * `window.engine` for the renderer. Everything on it is a plain function: promises for calls,
 * unsubscribe functions for `subscribe` and `on` (contextBridge copies functions, so a listener
 * could never be removed by reference).
 */
import { contextBridge, ipcRenderer } from 'electron';
import { exposeEngineClient } from 'execution-engine/electron';

exposeEngineClient({ contextBridge, ipcRenderer });
