import { isExecutionError } from '../errors.js';

/** JSON-RPC 2.0 error codes: the standard ones, and the one engine errors answer with. */
export const RPC_CODES = {
  PARSE_ERROR: -32700,
  INVALID_REQUEST: -32600,
  METHOD_NOT_FOUND: -32601,
  INVALID_PARAMS: -32602,
  INTERNAL_ERROR: -32603,
  /** Any other engine error: `data.code` says which (`EXECUTION_NOT_FOUND`, `WAIT_TIMEOUT`, ...). */
  ENGINE_ERROR: -32000,
} as const;

/** The `data` of every error answer: the engine's error as the HTTP API sends it. */
export interface ErrorData {
  code: string;
  message: string;
  field?: string;
  executionId?: string;
  limit?: number;
}

/** A JSON-RPC id: a string or a number; `null` when the request's id could not be read. */
export type RpcId = string | number | null;

/** An error answer's `error` member. */
export interface RpcError {
  code: number;
  message: string;
  data: ErrorData;
}

/** An error the protocol layer raises itself (bad message, unknown method, bad params). */
export class ProtocolError extends Error {
  readonly rpcCode: number;
  readonly data: ErrorData;
  constructor(rpcCode: number, data: ErrorData) {
    super(data.message);
    this.rpcCode = rpcCode;
    this.data = data;
  }
}

/**
 * An engine error's wire form `{ code, message, field?, executionId?, limit? }`, read by field (the
 * engine's classes may come from another copy of the package); `undefined` for anything else.
 */
export function engineErrorData(error: unknown): ErrorData | undefined {
  if (!isExecutionError(error)) return undefined;
  const data: ErrorData = { code: error.code, message: error.message };
  const { field, key, limit } = error as { field?: unknown; key?: unknown; limit?: unknown };
  if (typeof field === 'string') data.field = field;
  else if (typeof key === 'string') data.field = key;
  if (typeof limit === 'number') data.limit = limit;
  if (error.executionId !== undefined) data.executionId = error.executionId;
  return data;
}

/** Anything thrown while serving a request, as a JSON-RPC error; never the host crashing. */
export function toRpcError(error: unknown): RpcError {
  if (error instanceof ProtocolError)
    return { code: error.rpcCode, message: error.message, data: error.data };
  const data = engineErrorData(error);
  if (data === undefined) {
    return {
      code: RPC_CODES.INTERNAL_ERROR,
      message: 'Internal error',
      data: { code: 'INTERNAL_ERROR', message: 'Internal error' },
    };
  }
  const invalid = data.code === 'INVALID_REQUEST' || data.code === 'INVALID_CONFIG';
  return { code: invalid ? RPC_CODES.INVALID_PARAMS : RPC_CODES.ENGINE_ERROR, message: data.message, data };
}

/** A response carrying `result` (`null` for nothing: JSON has no `undefined`). */
export function resultMessage(id: RpcId, result: unknown): unknown {
  return { jsonrpc: '2.0', id, result: result === undefined ? null : result };
}

/** A response carrying an error. */
export function errorMessage(id: RpcId, error: RpcError): unknown {
  return { jsonrpc: '2.0', id, error };
}

/** A protocol-level error answer with the standard code and a `data.code` naming it. */
export function protocolErrorMessage(id: RpcId, rpcCode: number, code: string, message: string): unknown {
  return errorMessage(id, { code: rpcCode, message, data: { code, message } });
}

/** A notification (no id, no answer). */
export function notification(method: string, params: unknown): unknown {
  return { jsonrpc: '2.0', method, params };
}
