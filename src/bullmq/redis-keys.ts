import { InvalidConfigError, InvalidRequestError } from '../errors.js';
import { describeValue } from '../utils/describe-value.js';

/** The capability of executions without `requires`. */
export const DEFAULT_CAPABILITY = 'default';

const CAPABILITY_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * Checks a capability name (a request's `requires`, a worker's `capabilities`): it names a BullMQ
 * queue, so 1-64 characters of `[A-Za-z0-9._-]`.
 * @throws InvalidRequestError (`kind` 'request') or InvalidConfigError naming `field`.
 */
export function checkCapability(value: unknown, field: string, kind: 'request' | 'config'): string {
  if (typeof value === 'string' && CAPABILITY_PATTERN.test(value)) return value;
  const message = `Expected \`${field}\` to be 1-64 characters of [A-Za-z0-9._-], got ${describeValue(value)}`;
  throw kind === 'request' ? new InvalidRequestError(field, message) : new InvalidConfigError(field, message);
}

/** Every Redis key and channel of one deployment (one `prefix`). */
export class RedisKeys {
  readonly prefix: string;
  /** Sorted set of execution ids, by creation time. */
  readonly index: string;
  /** The engine-wide event stream (capped). */
  readonly events: string;
  /** Pub/sub channel of cancel requests to workers. */
  readonly control: string;

  constructor(prefix: string) {
    this.prefix = prefix;
    this.index = `${prefix}:executions`;
    this.events = `${prefix}:events`;
    this.control = `${prefix}:control`;
  }

  /** The BullMQ queue name of a capability. */
  queue(capability: string): string {
    return `cap.${capability}`;
  }

  /** The hash holding an execution's request, state, fencing token and result. */
  execution(id: string): string {
    return `${this.prefix}:exec:${id}`;
  }

  /** An execution's event stream. */
  stream(id: string): string {
    return `${this.prefix}:events:${id}`;
  }
}

/** The BullMQ job id of an execution (a custom job id may be neither an integer nor hold `:`). */
export function jobIdOf(executionId: string): string {
  return `e-${executionId}`;
}

/** BullMQ's priority (1 first, up to 2,097,151) for a request's `priority` (higher first, default 0). */
export function bullPriority(priority: number | undefined): number {
  return Math.min(2_097_151, Math.max(1, 1_048_576 - (priority ?? 0)));
}
