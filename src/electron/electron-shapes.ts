import type { MessagePortLike } from '../protocol/message-port.js';

/**
 * The parts of Electron's API this module uses, typed by their shape so that `electron` is not a
 * dependency: Electron's own objects match them, and so do stand-ins (tests use Node's
 * `MessageChannel`).
 */

/** A port as Electron's main process has it (`MessagePortMain`), or Node's `MessagePort`. */
export interface MainPortLike {
  postMessage(message: unknown): void;
  start(): void;
  close(): void;
}

/** Electron's `MessageChannelMain` constructor (or Node's `MessageChannel`). */
export type MessageChannelMainConstructor = new () => { port1: MainPortLike; port2: MainPortLike };

/** The event `ipcMain.on` listeners get: who sent the message, and how to answer with ports. */
export interface IpcMainEventLike {
  sender: { postMessage(channel: string, message: unknown, transfer?: MainPortLike[]): void };
}

/** Electron's `ipcMain`: listening to a channel and stopping. */
export interface IpcMainLike {
  on(channel: string, listener: (event: IpcMainEventLike, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: IpcMainEventLike, ...args: unknown[]) => void): unknown;
}

/** The event `ipcRenderer.on` listeners get, with the ports sent by `sender.postMessage`. */
export interface IpcRendererEventLike {
  ports: readonly MessagePortLike[];
}

/** Electron's `ipcRenderer`, as a preload script has it. */
export interface IpcRendererLike {
  send(channel: string, ...args: unknown[]): void;
  on(channel: string, listener: (event: IpcRendererEventLike, ...args: unknown[]) => void): unknown;
  removeListener(
    channel: string,
    listener: (event: IpcRendererEventLike, ...args: unknown[]) => void,
  ): unknown;
}

/** Electron's `contextBridge`. */
export interface ContextBridgeLike {
  exposeInMainWorld(key: string, api: unknown): void;
}

/** Electron's `app`, reduced to quitting. */
export interface QuittingAppLike {
  on(event: 'before-quit', listener: (event: { preventDefault(): void }) => void): unknown;
  removeListener(event: 'before-quit', listener: (event: { preventDefault(): void }) => void): unknown;
  quit(): void;
}
