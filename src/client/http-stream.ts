import { isExecutionError } from '../errors.js';
import { isErrorData, RemoteError, rebuildError } from './remote-errors.js';
import { readSse } from './sse-reader.js';

/** What a stream needs from its transport. */
export interface StreamTarget {
  deliver: (method: string, params: unknown) => Promise<void>;
  fetch: (path: string, headers: Record<string, string>, signal: AbortSignal) => Promise<Response>;
  maxRetryDelayMs: number;
}

/** An open SSE subscription. */
export interface HttpStream {
  close(): void;
}

const TERMINAL = new Set(['completed', 'failed', 'timeout', 'cancelled']);

/** True for an execution stream's last message: its terminal event. */
export const isTerminalMessage = (type: string): boolean => TERMINAL.has(type);

/** True for a pipeline stream's last message: the final event (no step, status terminal). */
export const isFinalPipelineMessage = (_type: string, data: unknown): boolean => {
  const event = data as { step?: unknown; status?: unknown };
  return event.step === undefined && event.status !== 'running';
};

/**
 * Follows an SSE route, delivering each event as an `event` notification. A dropped connection is
 * reopened (with backoff) after the last delivered `seq` when `resume`, and it ends after the
 * message `isLast` accepts (an execution's terminal event, a pipeline's final one). An error answer
 * (404, 401) ends it with `subscriptionError`.
 */
export function openStream(
  target: StreamTarget,
  subscription: string,
  path: string,
  afterSeq: number | undefined,
  resume: boolean,
  isLast: (type: string, data: unknown) => boolean = isTerminalMessage,
): HttpStream {
  const abort = new AbortController();
  let last = afterSeq;
  const run = async () => {
    let delay = 100;
    while (!abort.signal.aborted) {
      try {
        const headers: Record<string, string> =
          last === undefined || !resume ? {} : { 'last-event-id': String(last) };
        const response = await target.fetch(path, headers, abort.signal);
        if (!response.ok) {
          const body = (await response.json().catch(() => ({}))) as { error?: unknown };
          throw isErrorData(body.error)
            ? rebuildError(body.error, response.status)
            : new RemoteError({ code: 'HTTP_ERROR', message: `HTTP ${response.status}` }, response.status);
        }
        for await (const message of readSse(response.body!)) {
          if (abort.signal.aborted) return;
          delay = 100;
          if (message.event === 'resync') continue;
          if (message.id !== undefined) last = Number(message.id);
          const event: unknown = JSON.parse(message.data);
          await target.deliver('event', { subscription, event });
          if (resume && isLast(message.event, event)) return;
        }
      } catch (error) {
        if (abort.signal.aborted) return;
        if (isExecutionError(error)) {
          await target.deliver('subscriptionError', { subscription, error });
          return;
        }
      }
      // The connection dropped (or the server ended the stream early): come back after a while.
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(delay * 2, target.maxRetryDelayMs);
    }
  };
  void run();
  return { close: () => abort.abort() };
}
