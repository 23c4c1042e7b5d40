import { InvalidRequestError } from '../errors.js';
import { checkString, isPlainObject } from '../utils/checks.js';
import { describeValue } from '../utils/describe-value.js';

/** A request's environment, read once. */
export interface CheckedEnv {
  /** A copy of the request's own variables (`undefined` when it gave none): what the journal keeps. */
  own: Record<string, string> | undefined;
  /** What the process gets; `undefined` means "exactly process.env" (no copy made). */
  effective: NodeJS.ProcessEnv | undefined;
}

/**
 * Validates `env` and `inheritEnv`, reading each variable once, and builds the effective
 * environment from those values (so a getter cannot pass validation and then change).
 * @throws InvalidRequestError naming `inheritEnv`, `env` or `env.<NAME>`.
 */
export function checkEnv(env: unknown, inheritEnv: unknown): CheckedEnv {
  if (inheritEnv !== undefined && typeof inheritEnv !== 'boolean') {
    throw new InvalidRequestError(
      'inheritEnv',
      `Expected \`inheritEnv\` to be a boolean, got ${describeValue(inheritEnv)}`,
    );
  }
  if (env === undefined) return { own: undefined, effective: inheritEnv === false ? {} : undefined };
  if (!isPlainObject(env)) {
    throw new InvalidRequestError(
      'env',
      `Expected \`env\` to be an object of strings, got ${describeValue(env)}`,
    );
  }
  const entries = Object.entries(env);
  for (const [key, value] of entries) {
    if (key.length === 0 || key.includes('=') || key.includes('\0')) {
      throw new InvalidRequestError(
        `env.${key}`,
        `Expected environment variable names without \`=\` or NUL, got ${describeValue(key)}`,
      );
    }
    checkString(`env.${key}`, value);
  }
  // fromEntries defines own properties: a variable named `__proto__` stays a variable.
  const own = Object.fromEntries(entries) as Record<string, string>;
  return { own, effective: inheritEnv === false ? { ...own } : { ...process.env, ...own } };
}
