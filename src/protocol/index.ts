export type { ErrorData } from './json-rpc.js';
export { RPC_CODES } from './json-rpc.js';
export type { MessagePortLike } from './message-port.js';
export { messagePortServerTransport } from './message-port-server-transport.js';
export type { MessageChannelTransport } from './message-transport.js';
export type { ProtocolServerOptions } from './serve-options.js';
export type { ProtocolServer } from './serve-protocol.js';
export { serveProtocol } from './serve-protocol.js';
