// The part of Electron's API this example uses, with Electron's own signatures, so that the example
// typechecks in this repository, where Electron is not installed. In an app, delete this file:
// `electron`'s own types take over and the example compiles unchanged against them.
declare module 'electron' {
  interface PreventableEvent {
    preventDefault(): void;
  }
  export const app: {
    whenReady(): Promise<void>;
    on(event: 'before-quit', listener: (event: PreventableEvent) => void): typeof app;
    on(event: 'window-all-closed', listener: () => void): typeof app;
    removeListener(event: 'before-quit', listener: (event: PreventableEvent) => void): typeof app;
    quit(): void;
  };
  export class BrowserWindow {
    constructor(options: {
      width?: number;
      height?: number;
      webPreferences?: { preload?: string; contextIsolation?: boolean; sandbox?: boolean };
    });
    loadFile(path: string): Promise<void>;
  }
  export interface MessagePortMain {
    postMessage(message: unknown): void;
    start(): void;
    close(): void;
    on(event: 'message', listener: (event: { data: unknown; ports: MessagePortMain[] }) => void): this;
    on(event: 'close', listener: () => void): this;
  }
  export class MessageChannelMain {
    port1: MessagePortMain;
    port2: MessagePortMain;
  }
  export interface IpcMainEvent {
    ports: MessagePortMain[];
    sender: { postMessage(channel: string, message: unknown, transfer?: MessagePortMain[]): void };
  }
  export const ipcMain: {
    on(channel: string, listener: (event: IpcMainEvent, ...args: unknown[]) => void): typeof ipcMain;
    removeListener(channel: string, listener: (...args: never[]) => void): typeof ipcMain;
  };
  export interface IpcRendererEvent {
    ports: MessagePort[];
  }
  /** The DOM's MessagePort, as a preload script gets it. */
  export interface MessagePort {
    postMessage(message: unknown): void;
    start(): void;
    close(): void;
    addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
    removeEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  }
  export const ipcRenderer: {
    send(channel: string, ...args: unknown[]): void;
    on(channel: string, listener: (event: IpcRendererEvent, ...args: unknown[]) => void): typeof ipcRenderer;
    removeListener(channel: string, listener: (...args: never[]) => void): typeof ipcRenderer;
  };
  export const contextBridge: {
    exposeInMainWorld(apiKey: string, api: unknown): void;
  };
}
