import type { ExecutionRequest } from '../types.js';
import type { JournalRequest, JournalRetry } from './journal-types.js';

/**
 * The part of `request` needed to run it again, in a JSON-safe form: `input` becomes base64,
 * absent fields stay absent, and `env` holds only the request's own variables.
 */
export function toJournalRequest(request: ExecutionRequest): JournalRequest {
  const stored: JournalRequest = { command: request.command };
  if (request.cwd !== undefined) stored.cwd = request.cwd;
  if (request.env !== undefined) stored.env = { ...request.env };
  if (request.inheritEnv !== undefined) stored.inheritEnv = request.inheritEnv;
  if (request.input !== undefined) stored.inputBase64 = encodeInput(request.input);
  if (request.timeoutMs !== undefined) stored.timeoutMs = request.timeoutMs;
  if (request.killSignal !== undefined) stored.killSignal = request.killSignal;
  if (request.killGraceMs !== undefined) stored.killGraceMs = request.killGraceMs;
  if (request.metadata !== undefined) stored.metadata = request.metadata;
  const retry = request.retry;
  if (retry !== undefined) {
    const { attempts, delayMs, backoff, maxDelayMs, jitter, on } = retry;
    const copy: JournalRetry = { attempts };
    if (delayMs !== undefined) copy.delayMs = delayMs;
    if (backoff !== undefined) copy.backoff = backoff;
    if (maxDelayMs !== undefined) copy.maxDelayMs = maxDelayMs;
    if (jitter !== undefined) copy.jitter = jitter;
    // A function rule is refused with a journal, so only a list reaches here.
    if (Array.isArray(on)) copy.on = [...(on as JournalRetry['on'] & {})];
    stored.retry = copy;
  }
  if (request.priority !== undefined) stored.priority = request.priority;
  if (request.group !== undefined) stored.group = request.group;
  if (request.queueTimeoutMs !== undefined) stored.queueTimeoutMs = request.queueTimeoutMs;
  return stored;
}

/** Rebuilds a request from its stored form, with `id`. The input comes back as bytes. */
export function fromJournalRequest(id: string, stored: JournalRequest): ExecutionRequest {
  const request: ExecutionRequest = { id, command: stored.command };
  if (stored.cwd !== undefined) request.cwd = stored.cwd;
  if (stored.env !== undefined) request.env = { ...stored.env };
  if (stored.inheritEnv !== undefined) request.inheritEnv = stored.inheritEnv;
  if (stored.inputBase64 !== undefined) request.input = decodeInput(stored.inputBase64);
  if (stored.timeoutMs !== undefined) request.timeoutMs = stored.timeoutMs;
  if (stored.killSignal !== undefined) request.killSignal = stored.killSignal as NodeJS.Signals;
  if (stored.killGraceMs !== undefined) request.killGraceMs = stored.killGraceMs;
  if (stored.metadata !== undefined) request.metadata = stored.metadata;
  if (stored.retry !== undefined) request.retry = { ...stored.retry };
  if (stored.priority !== undefined) request.priority = stored.priority;
  if (stored.group !== undefined) request.group = stored.group;
  if (stored.queueTimeoutMs !== undefined) request.queueTimeoutMs = stored.queueTimeoutMs;
  return request;
}

/** Base64 of a string (as UTF-8) or of bytes. */
export function encodeInput(input: string | Uint8Array): string {
  return (typeof input === 'string' ? Buffer.from(input, 'utf8') : Buffer.from(input)).toString('base64');
}

/** The bytes of a base64 input. */
export function decodeInput(base64: string): Uint8Array {
  return new Uint8Array(Buffer.from(base64, 'base64'));
}
