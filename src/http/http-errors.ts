import { engineErrorData } from '../protocol/json-rpc.js';

/** The JSON body of every error answer. */
export interface HttpErrorBody {
  error: { code: string; message: string; field?: string; executionId?: string; limit?: number };
}

/** An error answered as is: an HTTP status, a code and a message. */
export class HttpError extends Error {
  readonly status: number;
  readonly code: string;
  readonly headers: Record<string, string>;
  constructor(status: number, code: string, message: string, headers: Record<string, string> = {}) {
    super(message);
    this.status = status;
    this.code = code;
    this.headers = headers;
  }
}

/** A 403 `FORBIDDEN` saying why. */
export function forbidden(message: string): HttpError {
  return new HttpError(403, 'FORBIDDEN', message);
}

/** Statuses of the engine's error codes; any other engine error is a 500. */
const STATUS_OF_CODE: Record<string, number> = {
  INVALID_REQUEST: 400,
  EXECUTION_NOT_FOUND: 404,
  CONCURRENCY_LIMIT_REACHED: 429,
  ENGINE_SHUT_DOWN: 503,
  JOURNAL_LOCKED: 503,
  WAIT_TIMEOUT: 408,
};

/** A JSON answer. */
export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers },
  });
}

/** The answer for anything thrown while serving a request: never the host crashing. */
export function errorResponse(error: unknown): Response {
  if (error instanceof HttpError) {
    return json(error.status, { error: { code: error.code, message: error.message } }, error.headers);
  }
  // Read by field, not instanceof: the engine's errors come from its own entry (another copy of
  // the classes once built), recognised by isExecutionError's brand.
  const data = engineErrorData(error);
  if (data !== undefined) {
    const body: HttpErrorBody = { error: data };
    return json(STATUS_OF_CODE[data.code] ?? 500, body);
  }
  return json(500, { error: { code: 'INTERNAL_ERROR', message: 'Internal error' } });
}

/** 404 for a path no route serves. */
export function notFound(): HttpError {
  return new HttpError(404, 'NOT_FOUND', 'No such route');
}
