import type { ExecutionConfig } from '../config.js';
import type { ExecutionRequest } from '../types.js';
import { readRequest } from './read-request.js';

/**
 * Checks a request at once, without the file system, for callers that cannot wait
 * (`engine.schedule`): every check `normalizeRequest` makes (the same code, {@link readRequest})
 * except that `cwd` exists and a script file is readable (those are made when it runs). Returns a
 * copy built from the values read (each field once; `command`, `env`, `input` and `metadata`
 * copied deeply), so later changes to the caller's object do not show.
 * @throws InvalidRequestError naming the first invalid field, like `normalizeRequest`.
 */
export function checkRequestNow(request: unknown, config: ExecutionConfig): ExecutionRequest {
  const read = readRequest(request, config);
  const copy: ExecutionRequest = { ...read.request };
  // Not plain data, so not in the journal's form of the request, but part of what runs.
  if (typeof read.progress.given === 'function') copy.progress = read.progress.given;
  if (read.signal !== undefined) copy.signal = read.signal;
  return copy;
}
