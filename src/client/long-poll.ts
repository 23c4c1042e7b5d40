import { WaitTimeoutError } from '../errors.js';
import type { WaitOptions } from '../types.js';

/** The longest single long poll of a wait over a transport. */
const POLL_MS = 60_000;

/**
 * Long polls `poll(waitMs)` until it answers something other than `undefined` (the result), as
 * `waitForCompletion` and `waitForPipeline` wait over a transport.
 * @throws WaitTimeoutError after `options.timeoutMs`; the signal's reason once it aborts.
 */
export async function pollForResult(
  id: string,
  options: WaitOptions,
  poll: (waitMs: number) => Promise<unknown>,
): Promise<unknown> {
  const deadline =
    options.timeoutMs === undefined ? Number.POSITIVE_INFINITY : Date.now() + options.timeoutMs;
  while (true) {
    options.signal?.throwIfAborted();
    const result = await poll(Math.max(0, Math.min(POLL_MS, deadline - Date.now())));
    if (result !== undefined) return result;
    if (Date.now() >= deadline) throw new WaitTimeoutError(id, options.timeoutMs ?? 0);
  }
}
