import type { ExecutionEngine } from '../engine.js';
import { InvalidConfigError } from '../errors.js';
import type { ExecutionRequest } from '../types.js';
import { describeValue } from '../utils/describe-value.js';

/** Who made a request. A principal with a `group` is a tenant: it sees and creates only that group's work. */
export interface Principal {
  id: string;
  group?: string | undefined;
}

/** What `/metrics` exposes: a prom-client `Registry`, or anything with the same two members. */
export interface MetricsRegistry {
  metrics(): string | Promise<string>;
  readonly contentType: string;
}

/** Options of {@link createHttpHandler} (and of `serve`). */
export interface HttpHandlerOptions {
  /** Prefix of every route, e.g. `/api/engine`. @default '' */
  basePath?: string | undefined;
  /** Shared secret: `Authorization: Bearer <token>`, or `?access_token=` on GET. */
  token?: string | undefined;
  /** Decides who a request comes from; `null` refuses it (401). */
  authorize?: ((request: Request) => Principal | null | Promise<Principal | null>) | undefined;
  /** `'none'` serves without authentication; it must be said explicitly. */
  auth?: 'none' | undefined;
  /** Refuses a request with 403 and the returned reason, or allows it with `true`. @default allow all */
  allowRequest?: ((request: ExecutionRequest, principal: Principal) => true | string) | undefined;
  /** Serve the dashboard at the base path. @default true */
  dashboard?: boolean | undefined;
  /** Larger bodies answer 413. @default 1048576 */
  maxBodyBytes?: number | undefined;
  /** Interval of the SSE comment lines that keep idle streams open. @default 15000 */
  heartbeatMs?: number | undefined;
  /** Exposed at `/metrics` (else 404). */
  metrics?: MetricsRegistry | undefined;
  /**
   * Unsent bytes a live `/events` client may lag behind before it is disconnected; an execution's
   * stream that cannot send for two heartbeats is disconnected too (it resumes with `Last-Event-ID`).
   * @default 4194304
   */
  maxBufferedBytes?: number | undefined;
}

/** The options checked, defaults applied. */
export interface ResolvedHttpOptions {
  basePath: string;
  token: string | undefined;
  authorize: HttpHandlerOptions['authorize'];
  allowRequest: HttpHandlerOptions['allowRequest'];
  dashboard: boolean;
  maxBodyBytes: number;
  heartbeatMs: number;
  metrics: MetricsRegistry | undefined;
  maxBufferedBytes: number;
}

/** The engine as the HTTP layer uses it: any `Meta`. */
// biome-ignore lint/suspicious/noExplicitAny: the handler serves engines of any metadata type
export type AnyEngine = ExecutionEngine<any>;

function positiveInteger(key: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value === 'number' && Number.isSafeInteger(value) && value > 0) return value;
  throw new InvalidConfigError(
    key,
    `Expected \`${key}\` to be a positive integer, got ${describeValue(value)}`,
  );
}

function optionalFunction<T>(key: string, value: T): T {
  if (value !== undefined && typeof value !== 'function') {
    throw new InvalidConfigError(key, `Expected \`${key}\` to be a function, got ${describeValue(value)}`);
  }
  return value;
}

/**
 * Checks the options: authentication must be configured (`token`, `authorize`) or refused
 * explicitly (`auth: 'none'`).
 * @throws InvalidConfigError naming the option.
 */
export function resolveHttpOptions(options: HttpHandlerOptions | undefined): ResolvedHttpOptions {
  if (options !== undefined && (typeof options !== 'object' || options === null)) {
    throw new InvalidConfigError(
      'options',
      `Expected \`options\` to be an object, got ${describeValue(options)}`,
    );
  }
  const { basePath = '', token, authorize, auth, allowRequest, dashboard = true, metrics } = options ?? {};
  if (
    typeof basePath !== 'string' ||
    (basePath !== '' && (!basePath.startsWith('/') || basePath.endsWith('/')))
  ) {
    throw new InvalidConfigError(
      'basePath',
      `Expected \`basePath\` to be '' or a path starting with / and not ending with /, got ${describeValue(basePath)}`,
    );
  }
  if (token !== undefined && (typeof token !== 'string' || token.length < 16)) {
    throw new InvalidConfigError(
      'token',
      `Expected \`token\` to be a string of at least 16 characters, got ${describeValue(token)}`,
    );
  }
  if (auth !== undefined && auth !== 'none') {
    throw new InvalidConfigError(
      'auth',
      `Expected \`auth\` to be 'none' or undefined, got ${describeValue(auth)}`,
    );
  }
  if (token === undefined && authorize === undefined && auth !== 'none') {
    throw new InvalidConfigError(
      'auth',
      "Expected `token` or `authorize`, or `auth: 'none'` to serve without authentication, got none of them",
    );
  }
  if (typeof dashboard !== 'boolean') {
    throw new InvalidConfigError(
      'dashboard',
      `Expected \`dashboard\` to be a boolean, got ${describeValue(dashboard)}`,
    );
  }
  if (metrics !== undefined && (typeof metrics !== 'object' || typeof metrics?.metrics !== 'function')) {
    throw new InvalidConfigError(
      'metrics',
      `Expected \`metrics\` to be a registry with a metrics() method, got ${describeValue(metrics)}`,
    );
  }
  return {
    basePath,
    token,
    authorize: optionalFunction('authorize', authorize),
    allowRequest: optionalFunction('allowRequest', allowRequest),
    dashboard,
    maxBodyBytes: positiveInteger('maxBodyBytes', options?.maxBodyBytes, 1024 * 1024),
    heartbeatMs: positiveInteger('heartbeatMs', options?.heartbeatMs, 15_000),
    metrics,
    maxBufferedBytes: positiveInteger('maxBufferedBytes', options?.maxBufferedBytes, 4 * 1024 * 1024),
  };
}
