import { InvalidRequestError } from '../errors.js';

/** The keys a request may have. */
export const REQUEST_KEYS: ReadonlySet<string> = new Set([
  'id',
  'command',
  'cwd',
  'env',
  'inheritEnv',
  'input',
  'stdin',
  'timeoutMs',
  'killSignal',
  'killGraceMs',
  'signal',
  'metadata',
  'progress',
  'priority',
  'group',
  'queueTimeoutMs',
  'retry',
]);

/** The keys a request's `retry` may have. */
export const RETRY_KEYS: ReadonlySet<string> = new Set([
  'attempts',
  'delayMs',
  'backoff',
  'maxDelayMs',
  'jitter',
  'on',
]);

/** The keys each kind of command may have. */
export const COMMAND_KEYS: Readonly<Record<string, ReadonlySet<string>>> = {
  shell: new Set(['type', 'command', 'shell']),
  exec: new Set(['type', 'program', 'args']),
  script: new Set(['type', 'path', 'interpreter', 'args']),
  awsCli: new Set(['type', 'service', 'operation', 'args', 'region', 'profile', 'output', 'endpointUrl']),
};

/** Names other libraries use for a request key, so a mistake gets a pointed message. */
const KNOWN_MISTAKES: Readonly<Record<string, string>> = {
  timeout: 'timeoutMs',
  killTimeout: 'killGraceMs',
  forceKillAfterDelay: 'killGraceMs',
  cancelSignal: 'signal',
  stdinInput: 'input',
  extendEnv: 'inheritEnv',
  retries: 'attempts',
  maxAttempts: 'attempts',
  delay: 'delayMs',
  maxDelay: 'maxDelayMs',
  queueTimeout: 'queueTimeoutMs',
  expireInMs: 'queueTimeoutMs',
};

/**
 * Rejects a key of `object` that is not in `allowed`: a misspelt option (`timeout` for
 * `timeoutMs`) must never run silently with the default. Reads only the key names.
 * @throws InvalidRequestError naming the key (`prefix.key`).
 */
export function checkKeys(object: object, allowed: ReadonlySet<string>, prefix?: string): void {
  for (const key of Object.keys(object)) {
    if (allowed.has(key)) continue;
    const field = prefix === undefined ? key : `${prefix}.${key}`;
    const hint = KNOWN_MISTAKES[key];
    const known = [...allowed].map((name) => `\`${name}\``).join(', ');
    throw new InvalidRequestError(
      field,
      `Unknown key \`${field}\`${hint === undefined ? '' : ` (did you mean \`${hint}\`?)`}; expected one of ${known}`,
    );
  }
}
