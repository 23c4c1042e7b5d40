import type { ExecutionEngine } from '../engine.js';
import { InvalidConfigError } from '../errors.js';
import type { ExecutionRequest } from '../types.js';
import { isPlainObject } from '../utils/checks.js';
import { describeValue } from '../utils/describe-value.js';

/** The engine as the protocol serves it: any `Meta`. */
// biome-ignore lint/suspicious/noExplicitAny: the server serves engines of any metadata type
export type AnyEngine = ExecutionEngine<any>;

/** Options of {@link serveProtocol}. */
export interface ProtocolServerOptions {
  /**
   * `0` sends each message at once. Above 0, notifications are coalesced and sent as one JSON-RPC
   * batch array per interval (sooner once 1 MB is queued); a response flushes the batch with it.
   * The Electron bridge uses 16 (one batch per frame).
   * @default 0
   */
  flushIntervalMs?: number | undefined;
  /**
   * Unsent bytes (queued here and held by the transport) past which an engine-wide subscription
   * (`subscribeEvents`) is dropped with a `subscriptionError`; an execution's or a pipeline's
   * subscription instead waits, reading the engine's retained events at the client's pace.
   * @default 8388608
   */
  maxPendingBytes?: number | undefined;
  /** Refuses an `execute`/`run` request (or a pipeline step) with `FORBIDDEN` and the returned reason. @default allow all */
  allowRequest?: ((request: ExecutionRequest) => true | string) | undefined;
}

/** The options checked, defaults applied. */
export interface ResolvedProtocolOptions {
  flushIntervalMs: number;
  maxPendingBytes: number;
  allowRequest: ((request: ExecutionRequest) => true | string) | undefined;
}

function integerOption(key: string, value: unknown, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= min) return value;
  throw new InvalidConfigError(
    key,
    `Expected \`${key}\` to be an integer of at least ${min}, got ${describeValue(value)}`,
  );
}

/** Checks the options. @throws InvalidConfigError naming the option. */
export function resolveProtocolOptions(options: ProtocolServerOptions | undefined): ResolvedProtocolOptions {
  if (options !== undefined && !isPlainObject(options as unknown)) {
    throw new InvalidConfigError(
      'options',
      `Expected \`options\` to be an object, got ${describeValue(options)}`,
    );
  }
  const allowRequest = options?.allowRequest;
  if (allowRequest !== undefined && typeof allowRequest !== 'function') {
    throw new InvalidConfigError(
      'allowRequest',
      `Expected \`allowRequest\` to be a function, got ${describeValue(allowRequest)}`,
    );
  }
  return {
    flushIntervalMs: integerOption('flushIntervalMs', options?.flushIntervalMs, 0, 0),
    maxPendingBytes: integerOption('maxPendingBytes', options?.maxPendingBytes, 8 * 1024 * 1024, 1),
    allowRequest,
  };
}
