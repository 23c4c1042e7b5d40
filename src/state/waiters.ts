import { checkWaitOptions } from '../arguments/method-options.js';
import { WaitTimeoutError } from '../errors.js';
import type { ExecutionResult, WaitOptions } from '../types.js';
import { type LongTimer, setLongTimeout } from '../utils/long-timer.js';

type Settle = (result: ExecutionResult) => void;

/** Callers waiting for executions to become terminal. */
export class Waiters {
  readonly #waiting = new Map<string, Set<Settle>>();

  /**
   * A promise for the result of `id`, which is not terminal yet. Rejects with `WaitTimeoutError`
   * after `timeoutMs` (any length: long delays are chained, never cut short), or with the signal's
   * reason when it aborts; the execution is unaffected. Invalid options reject with
   * `InvalidRequestError` before anything is registered.
   */
  wait(id: string, options?: WaitOptions): Promise<ExecutionResult> {
    let timeoutMs: number | undefined;
    let signal: AbortSignal | undefined;
    try {
      ({ timeoutMs, signal } = checkWaitOptions(options));
    } catch (error) {
      return Promise.reject(error);
    }
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<ExecutionResult>((resolve, reject) => {
      let timer: LongTimer | undefined;
      const onAbort = () => done(() => reject(signal?.reason));
      const settle: Settle = (result) => done(() => resolve(result));
      const done = (finish: () => void) => {
        timer?.clear();
        signal?.removeEventListener('abort', onAbort);
        this.#remove(id, settle);
        finish();
      };
      // Listen first: if that throws, nothing is registered that could fail later.
      signal?.addEventListener('abort', onAbort, { once: true });
      const set = this.#waiting.get(id) ?? new Set<Settle>();
      this.#waiting.set(id, set);
      set.add(settle);
      if (timeoutMs !== undefined) {
        const ms = timeoutMs;
        timer = setLongTimeout(() => done(() => reject(new WaitTimeoutError(id, ms))), ms, { unref: true });
      }
    });
  }

  /** Resolves everyone waiting for `result.id`. */
  settle(result: ExecutionResult): void {
    const set = this.#waiting.get(result.id);
    if (set === undefined) return;
    this.#waiting.delete(result.id);
    for (const settle of set) settle(result);
  }

  #remove(id: string, settle: Settle): void {
    const set = this.#waiting.get(id);
    if (set === undefined) return;
    set.delete(settle);
    if (set.size === 0) this.#waiting.delete(id);
  }
}
