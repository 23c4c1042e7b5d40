import { debuglog } from 'node:util';
import type { ExecutionEvent } from '../events/event-types.js';

/** `NODE_DEBUG=execution-engine` (read once: Node reads `NODE_DEBUG` at startup). */
const log = debuglog('execution-engine');

/** True when `NODE_DEBUG` names `execution-engine`: only then is {@link debugLine} ever called. */
export const DEBUG_ENABLED: boolean = log.enabled;

/**
 * The debug line of a state change, `key=value` pairs after the id and status, e.g.
 * `id=build-1 status=failed pid=4242 attempt=2 durationMs=1520 error=KILLED_BY_SIGNAL`; `undefined`
 * for events that change no state (lines, output limits, progress).
 */
export function debugText(event: ExecutionEvent): string | undefined {
  const id = `id=${event.executionId}`;
  switch (event.type) {
    case 'queued':
      return `${id} status=queued position=${event.position}`;
    case 'started':
      return `${id} status=running pid=${event.pid} attempt=${event.attempt}`;
    case 'retrying': {
      const { previous } = event;
      const ended = `previous=${previous.status} exitCode=${previous.exitCode}${previous.error === undefined ? '' : ` error=${previous.error.code}`}`;
      return `${id} status=queued attempt=${event.attempt} delayMs=${event.delayMs} ${ended}`;
    }
    case 'recovered':
      return `${id} recovered=${event.classification}`;
    case 'completed':
    case 'failed':
    case 'timeout':
    case 'cancelled': {
      const { result } = event;
      const pid = result.pid === undefined ? '' : ` pid=${result.pid}`;
      const error = result.error === undefined ? '' : ` error=${result.error.code}`;
      const exit = ` exitCode=${result.exitCode}${result.signal === null ? '' : ` signal=${result.signal}`}`;
      return `${id} status=${result.status}${pid} attempt=${result.attempts.length} durationMs=${result.durationMs}${error}${exit}`;
    }
    default:
      return undefined;
  }
}

/** Prints the debug line of `event` to stderr (`EXECUTION-ENGINE <pid>: ...`), if it has one. */
export function debugLine(event: ExecutionEvent): void {
  const text = debugText(event);
  if (text !== undefined) log('%s', text);
}
