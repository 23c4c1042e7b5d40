export type { BridgeError, BridgeSubscribeOptions, EngineBridge, Unsubscribe } from './bridge-types.js';
export type {
  ContextBridgeLike,
  IpcMainEventLike,
  IpcMainLike,
  IpcRendererEventLike,
  IpcRendererLike,
  MainPortLike,
  MessageChannelMainConstructor,
  QuittingAppLike,
} from './electron-shapes.js';
export type { ExposedEngine, ExposeEngineOptions } from './expose-engine.js';
export { exposeEngine } from './expose-engine.js';
export type { ExposeEngineClientOptions } from './expose-engine-client.js';
export { exposeEngineClient } from './expose-engine-client.js';
export { quitAfterShutdown } from './quit-after-shutdown.js';
