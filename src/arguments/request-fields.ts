import type { ExecutionConfig } from '../config.js';
import { InvalidRequestError } from '../errors.js';
import { checkDuration } from '../utils/checks.js';
import { describeValue } from '../utils/describe-value.js';
import { isSignalName } from '../utils/signal-name.js';

/** A request's `timeoutMs`, else the config's default; 0 (none) only with `maxTimeoutMs: Infinity`. */
export function checkTimeout(timeoutMs: unknown, config: ExecutionConfig): number {
  if (timeoutMs === undefined) return config.defaultTimeoutMs;
  const unlimited = config.maxTimeoutMs === Number.POSITIVE_INFINITY;
  if (typeof timeoutMs !== 'number' || !Number.isSafeInteger(timeoutMs) || timeoutMs < 0) {
    throw new InvalidRequestError(
      'timeoutMs',
      `Expected \`timeoutMs\` to be a non-negative integer, got ${describeValue(timeoutMs)}`,
    );
  }
  if (timeoutMs === 0 && !unlimited) {
    throw new InvalidRequestError(
      'timeoutMs',
      'Expected `timeoutMs` to be positive: 0 (no timeout) needs the engine option `maxTimeoutMs: Infinity`',
    );
  }
  if (timeoutMs > config.maxTimeoutMs) {
    throw new InvalidRequestError(
      'timeoutMs',
      `Expected \`timeoutMs\` to be at most maxTimeoutMs (${config.maxTimeoutMs}), got ${describeValue(timeoutMs)}`,
    );
  }
  return timeoutMs;
}

/** The first signal and the grace before SIGKILL: the request's, else the config's. */
export function checkKill(killSignal: unknown, killGraceMs: unknown, config: ExecutionConfig) {
  if (killSignal !== undefined && !isSignalName(killSignal)) {
    throw new InvalidRequestError(
      'killSignal',
      `Expected \`killSignal\` to be a signal name like 'SIGTERM', got ${describeValue(killSignal)}`,
    );
  }
  return {
    killSignal: (killSignal as NodeJS.Signals | undefined) ?? config.killSignal,
    killGraceMs:
      killGraceMs === undefined ? config.killGraceMs : checkDuration('killGraceMs', killGraceMs, 0),
  };
}

/** The input as read: a string, or a copy of the bytes (later changes by the caller do not show). */
export function checkInput(input: unknown): string | Uint8Array | undefined {
  if (input === undefined || typeof input === 'string') return input;
  if (input instanceof Uint8Array) return new Uint8Array(input);
  throw new InvalidRequestError(
    'input',
    `Expected \`input\` to be a string or Uint8Array, got ${describeValue(input)}`,
  );
}

/**
 * The stdin mode: `'ignore'` (the default) or `'pipe'`. A pipe is refused together with `input`
 * (which writes stdin and closes it) and with a journal (a journaled process runs detached under
 * the wrapper, with no pipe to the host that could outlive it).
 */
export function checkStdin(
  stdin: unknown,
  input: string | Uint8Array | undefined,
  config: ExecutionConfig,
): 'ignore' | 'pipe' {
  if (stdin === undefined || stdin === 'ignore') return 'ignore';
  if (stdin !== 'pipe') {
    throw new InvalidRequestError(
      'stdin',
      `Expected \`stdin\` to be 'ignore' or 'pipe', got ${describeValue(stdin)}`,
    );
  }
  if (input !== undefined) {
    throw new InvalidRequestError(
      'stdin',
      "`stdin: 'pipe'` cannot be combined with `input`: `input` writes stdin and closes it; use `writeInput`/`closeInput` instead",
    );
  }
  if (config.journal !== undefined) {
    throw new InvalidRequestError(
      'stdin',
      "`stdin: 'pipe'` is not available with a journal: a journaled process runs detached under the journal's wrapper, with no pipe to the host (it may outlive it); use `input` instead",
    );
  }
  return 'pipe';
}
