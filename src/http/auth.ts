import { HttpError } from './http-errors.js';
import type { Principal, ResolvedHttpOptions } from './http-options.js';

const encoder = new TextEncoder();

/** The principal of requests when `auth: 'none'` or the shared token is used. */
const TOKEN_PRINCIPAL: Principal = Object.freeze({ id: 'token' });
const ANONYMOUS: Principal = Object.freeze({ id: 'anonymous' });

/**
 * Compares two strings in time that depends on their lengths only, never on where they differ:
 * a network attacker cannot find the token byte by byte.
 */
export function constantTimeEqual(given: string, expected: string): boolean {
  const a = encoder.encode(given);
  const b = encoder.encode(expected);
  let diff = a.length ^ b.length;
  for (let i = 0; i < b.length; i++) diff |= (a[i % (a.length || 1)] ?? 0) ^ b[i]!;
  return diff === 0;
}

function unauthorized(message: string): HttpError {
  return new HttpError(401, 'UNAUTHORIZED', message, { 'www-authenticate': 'Bearer' });
}

/** The token of a request: the Bearer header, or `access_token` in the query of a GET. */
function presentedToken(request: Request, url: URL): string | undefined {
  const header = request.headers.get('authorization');
  if (header !== null) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    return match?.[1] ?? '';
  }
  const query = url.searchParams.get('access_token');
  if (query === null) return undefined;
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    throw unauthorized('`access_token` in the query is accepted on GET only: send `Authorization: Bearer`');
  }
  return query;
}

/**
 * Who sent `request`: `authorize`'s principal, or the token's, or the anonymous one with
 * `auth: 'none'`.
 * @throws HttpError 401 (with `WWW-Authenticate: Bearer`) when the request is not authenticated.
 */
export async function authenticate(
  request: Request,
  url: URL,
  options: ResolvedHttpOptions,
): Promise<Principal> {
  const { token, authorize } = options;
  if (token !== undefined) {
    const presented = presentedToken(request, url);
    if (presented !== undefined && constantTimeEqual(presented, token)) return TOKEN_PRINCIPAL;
    if (authorize === undefined) {
      throw unauthorized(presented === undefined ? 'A token is required' : 'The token is not valid');
    }
  }
  if (authorize !== undefined) {
    const principal = await authorize(request);
    if (principal === null || principal === undefined) throw unauthorized('Not authorized');
    if (typeof principal !== 'object' || typeof principal.id !== 'string') {
      throw new HttpError(500, 'INTERNAL_ERROR', '`authorize` returned no valid principal');
    }
    return principal;
  }
  return ANONYMOUS;
}
