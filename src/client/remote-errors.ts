import {
  ConcurrencyLimitReachedError,
  EngineShutDownError,
  ExecutionError,
  ExecutionNotFoundError,
  InvalidConfigError,
  InvalidRequestError,
  WaitTimeoutError,
} from '../errors.js';
import type { ExecutionErrorCode } from '../types.js';

/** An error body as the engine's remote surfaces send it. */
export interface RemoteErrorData {
  code: string;
  message: string;
  field?: string;
  executionId?: string;
  limit?: number;
}

/**
 * An error of the remote layer itself (`UNAUTHORIZED`, `FORBIDDEN`, `NOT_FOUND`, ...), or an engine
 * code this client does not know; `status` is the HTTP status when there is one.
 */
export class RemoteError extends ExecutionError {
  readonly status: number | undefined;
  constructor(data: RemoteErrorData, status?: number) {
    super(data.code as ExecutionErrorCode, data.message, { executionId: data.executionId });
    this.status = status;
  }
}
Object.defineProperty(RemoteError.prototype, 'name', {
  value: 'RemoteError',
  configurable: true,
  writable: true,
});

/** Rebuilds the engine's error class from its wire form, with the same code, message and fields. */
export function rebuildError(data: RemoteErrorData, status?: number): ExecutionError {
  const options = { executionId: data.executionId };
  let error: ExecutionError;
  switch (data.code) {
    case 'INVALID_REQUEST':
      error = new InvalidRequestError(data.field ?? 'request', data.message, options);
      break;
    case 'INVALID_CONFIG':
      error = new InvalidConfigError(data.field ?? 'config', data.message);
      break;
    case 'EXECUTION_NOT_FOUND':
      error = new ExecutionNotFoundError(data.executionId ?? '');
      break;
    case 'CONCURRENCY_LIMIT_REACHED':
      error = new ConcurrencyLimitReachedError(data.limit ?? 0, data.message);
      break;
    case 'ENGINE_SHUT_DOWN':
      error = new EngineShutDownError();
      break;
    case 'WAIT_TIMEOUT':
      error = new WaitTimeoutError(data.executionId ?? '', 0);
      break;
    default:
      return new RemoteError(data, status);
  }
  if (error.message !== data.message) Object.defineProperty(error, 'message', { value: data.message });
  return error;
}

/** True for a wire error body. */
export function isErrorData(value: unknown): value is RemoteErrorData {
  const data = value as RemoteErrorData | null;
  return typeof data === 'object' && data !== null && typeof data.code === 'string';
}
