/**
 * Redis cannot be reached (down, restarting, a network partition): nothing was stored. `code` is
 * `'REDIS_UNAVAILABLE'`; `cause` is the client's error when there is one.
 * @example
 * ```ts
 * try {
 *   await engine.execute({ command: shell('./scan.sh') });
 * } catch (error) {
 *   if (error instanceof RedisUnavailableError) retryLater();
 * }
 * ```
 */
export class RedisUnavailableError extends Error {
  readonly code = 'REDIS_UNAVAILABLE';
  constructor(where: string, cause?: unknown) {
    const detail = cause instanceof Error ? `: ${cause.message}` : '';
    super(`Redis at ${where} is unavailable; the execution was not stored${detail}`, { cause });
    this.name = 'RedisUnavailableError';
  }
}
