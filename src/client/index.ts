export {
  CommandFailedError,
  ConcurrencyLimitReachedError,
  EngineShutDownError,
  ExecutionError,
  ExecutionNotFoundError,
  InvalidConfigError,
  InvalidRequestError,
  isExecutionError,
  PipelineFailedError,
  WaitTimeoutError,
} from '../errors.js';
export type { MessagePortLike } from '../protocol/message-port.js';
export type { ClientEventType } from './engine-client.js';
export { EngineClient } from './engine-client.js';
export type { HttpTransportOptions } from './http-transport.js';
export { httpTransport } from './http-transport.js';
export { messagePortTransport } from './message-port-transport.js';
export type { RemoteErrorData } from './remote-errors.js';
export { RemoteError } from './remote-errors.js';
export type { StdioChild } from './stdio-transport.js';
export { stdioTransport } from './stdio-transport.js';
export type { NotificationListener, Transport } from './transport.js';
