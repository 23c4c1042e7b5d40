import type { PipelineResult } from './pipeline/pipeline-types.js';
import type { ExecutionErrorCode, ExecutionResult } from './types.js';

const BRAND = Symbol.for('execution-engine.error');

/** Options shared by every error of this library. */
export interface ExecutionErrorOptions {
  executionId?: string | undefined;
  cause?: unknown;
}

/**
 * Base class of every error this library throws or reports. `code` is stable; test it rather
 * than the message.
 *
 * @example
 * ```ts
 * try { await engine.run(exec('false')); } catch (err) {
 *   if (isExecutionError(err)) console.error(err.code, err.executionId);
 * }
 * ```
 */
export class ExecutionError extends Error {
  /** One of {@link ExecutionErrorCode}: a typo such as `'SPAWN_FAILDE'` does not compile. */
  readonly code: ExecutionErrorCode;
  declare readonly executionId?: string;

  constructor(code: ExecutionErrorCode, message: string, options: ExecutionErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    if (options.executionId !== undefined) {
      Object.defineProperty(this, 'executionId', { value: options.executionId, enumerable: true });
    }
    Object.defineProperty(this, BRAND, { value: true });
  }
}

/** True for any error of this library, even one from another copy of it or another realm. */
export function isExecutionError(value: unknown): value is ExecutionError {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
}

/** A request was invalid; `field` names the offending field. Nothing was registered. */
export class InvalidRequestError extends ExecutionError {
  readonly field: string;
  constructor(field: string, message: string, options?: ExecutionErrorOptions) {
    super('INVALID_REQUEST', message, options);
    this.field = field;
  }
}

/** A configuration value was invalid; `key` names it. */
export class InvalidConfigError extends ExecutionError {
  readonly key: string;
  constructor(key: string, message: string) {
    super('INVALID_CONFIG', message);
    this.key = key;
  }
}

/** No retained execution has this id. */
export class ExecutionNotFoundError extends ExecutionError {
  constructor(executionId: string) {
    super('EXECUTION_NOT_FOUND', `No execution with id \`${executionId}\``, { executionId });
  }
}

/** The concurrency limit (reject mode) or the queue limit was reached; `limit` is the one hit. */
export class ConcurrencyLimitReachedError extends ExecutionError {
  readonly limit: number;
  constructor(limit: number, message: string) {
    super('CONCURRENCY_LIMIT_REACHED', message);
    this.limit = limit;
  }
}

/** The output passed `maxOutputSizeBytes` under the `failExecution` strategy. */
export class OutputSizeExceededError extends ExecutionError {
  readonly limitBytes: number;
  constructor(limitBytes: number, message: string, options?: ExecutionErrorOptions) {
    super('OUTPUT_SIZE_EXCEEDED', message, options);
    this.limitBytes = limitBytes;
  }
}

/** The process could not be started (program not found, not executable, bad cwd). */
export class SpawnError extends ExecutionError {
  constructor(message: string, options?: ExecutionErrorOptions) {
    super('SPAWN_FAILED', message, options);
  }
}

/** From `run()`: the execution did not succeed. `result` has everything; `cause` the specific error. */
export class CommandFailedError extends ExecutionError {
  readonly result: ExecutionResult;
  constructor(result: ExecutionResult, message: string, cause?: unknown) {
    super('COMMAND_FAILED', message, { executionId: result.id, cause });
    this.result = result;
  }
}

/** `waitForCompletion`'s own `timeoutMs` passed; the execution keeps running. */
export class WaitTimeoutError extends ExecutionError {
  constructor(executionId: string, timeoutMs: number) {
    super(
      'WAIT_TIMEOUT',
      `Stopped waiting after ${timeoutMs} milliseconds for execution \`${executionId}\``,
      {
        executionId,
      },
    );
  }
}

/** The engine is shut down and accepts no new executions. */
export class EngineShutDownError extends ExecutionError {
  constructor() {
    super('ENGINE_SHUT_DOWN', 'The engine is shut down and accepts no new executions');
  }
}

/**
 * The execution's own `timeoutMs` passed and the engine terminated its process group: the `cause`
 * of `run()`'s `CommandFailedError` when the status is `timeout`.
 */
export class ExecutionTimeoutError extends ExecutionError {
  readonly timeoutMs: number;
  constructor(timeoutMs: number, message: string, options?: ExecutionErrorOptions) {
    super('TIMEOUT', message, options);
    this.timeoutMs = timeoutMs;
  }
}

/**
 * The execution was cancelled (`cancel()`, its request's `signal`, or `shutdown()`): the `cause` of
 * `run()`'s `CommandFailedError` when the status is `cancelled`. `reason` is the text given with the
 * cancel (`cancel(id, reason)`, the abort reason as text, `'shutdown'`), `undefined` when none was.
 */
export class ExecutionCancelledError extends ExecutionError {
  readonly reason: string | undefined;
  constructor(reason: string | undefined, message: string, options?: ExecutionErrorOptions) {
    super('CANCELLED', message, options);
    this.reason = reason;
  }
}

/**
 * The execution waited in the queue longer than its request's `queueTimeoutMs` and never started:
 * the `cause` of `run()`'s `CommandFailedError` when the result is `failed` with `error.code`
 * `'EXPIRED'`.
 */
export class ExecutionExpiredError extends ExecutionError {
  readonly queueTimeoutMs: number;
  constructor(queueTimeoutMs: number, message: string, options?: ExecutionErrorOptions) {
    super('EXPIRED', message, options);
    this.queueTimeoutMs = queueTimeoutMs;
  }
}

/**
 * From `runPipeline()`: the pipeline did not succeed (it failed, was cancelled, or completed with
 * a step that did not succeed). `result` has every step's state and result.
 */
export class PipelineFailedError extends ExecutionError {
  readonly result: PipelineResult;
  constructor(result: PipelineResult, message: string) {
    super('PIPELINE_FAILED', message);
    this.result = result;
  }
}

/**
 * Sets each class's `name` from its key: `nameErrors({ SpawnError })`. Names live on the
 * prototypes, so they survive minification (a minifier renames the class, never the key) and do
 * not show up as own fields. Every error class of this library is named through here.
 */
export function nameErrors(classes: Record<string, abstract new (...args: never[]) => Error>): void {
  for (const [name, ErrorClass] of Object.entries(classes)) {
    Object.defineProperty(ErrorClass.prototype, 'name', { value: name, configurable: true, writable: true });
  }
}

nameErrors({
  ExecutionError,
  InvalidRequestError,
  InvalidConfigError,
  ExecutionNotFoundError,
  ConcurrencyLimitReachedError,
  OutputSizeExceededError,
  SpawnError,
  CommandFailedError,
  WaitTimeoutError,
  EngineShutDownError,
  ExecutionTimeoutError,
  ExecutionCancelledError,
  ExecutionExpiredError,
  PipelineFailedError,
});
