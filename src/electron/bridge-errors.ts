import { isExecutionError } from '../errors.js';
import type { BridgeError } from './bridge-types.js';

/**
 * An error as a plain object that keeps its fields across contextBridge (which copies an `Error`
 * with its message only).
 */
export function toBridgeError(error: unknown): BridgeError {
  if (typeof error !== 'object' || error === null) return { name: 'Error', message: String(error) };
  const { name, message } = error as { name?: unknown; message?: unknown };
  const plain: BridgeError = {
    name: typeof name === 'string' ? name : 'Error',
    message: typeof message === 'string' ? message : String(error),
  };
  if (!isExecutionError(error)) return plain;
  plain.code = error.code;
  const { field, executionId, result } = error as {
    field?: unknown;
    executionId?: unknown;
    result?: unknown;
  };
  if (typeof field === 'string') plain.field = field;
  if (typeof executionId === 'string') plain.executionId = executionId;
  if (result !== undefined) plain.result = result;
  return plain;
}

/** `promise`, rejecting with a {@link BridgeError} instead of the error. */
export async function bridged<T>(promise: Promise<T>): Promise<T> {
  try {
    return await promise;
  } catch (error) {
    throw toBridgeError(error);
  }
}
