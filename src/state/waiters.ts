import { describeValue } from '../config.js';
import { InvalidRequestError, WaitTimeoutError } from '../errors.js';
import type { ExecutionResult, WaitOptions } from '../types.js';

type Settle = (result: ExecutionResult) => void;

/** Callers waiting for executions to become terminal. */
export class Waiters {
  readonly #waiting = new Map<string, Set<Settle>>();

  /**
   * A promise for the result of `id`, which is not terminal yet. Rejects with `WaitTimeoutError`
   * after `timeoutMs`, or with the signal's reason when it aborts; the execution is unaffected.
   */
  wait(id: string, options: WaitOptions = {}): Promise<ExecutionResult> {
    const { timeoutMs, signal } = options;
    if (timeoutMs !== undefined && (!Number.isInteger(timeoutMs) || timeoutMs <= 0)) {
      return Promise.reject(
        new InvalidRequestError(
          'timeoutMs',
          `Expected \`timeoutMs\` to be a positive integer, got ${describeValue(timeoutMs)}`,
        ),
      );
    }
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<ExecutionResult>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const onAbort = () => done(() => reject(signal?.reason));
      const settle: Settle = (result) => done(() => resolve(result));
      const done = (finish: () => void) => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        this.#remove(id, settle);
        finish();
      };
      const set = this.#waiting.get(id) ?? new Set<Settle>();
      this.#waiting.set(id, set);
      set.add(settle);
      if (timeoutMs !== undefined) {
        timer = setTimeout(() => done(() => reject(new WaitTimeoutError(id, timeoutMs))), timeoutMs).unref();
      }
      signal?.addEventListener('abort', onAbort, { once: true });
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
