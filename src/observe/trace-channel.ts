import { tracingChannel } from 'node:diagnostics_channel';
import { CommandFailedError } from '../errors.js';
import type { ExecutionEvent, TerminalEvent } from '../events/event-types.js';
import { describeFailure } from '../execution/failure-text.js';
import type { ExecutionResult, ExecutionSnapshot } from '../types.js';

/** The name of the tracing channel: `diagnostics_channel.tracingChannel(EXECUTION_CHANNEL)`. */
export const EXECUTION_CHANNEL = 'execution-engine:execution';

/**
 * What the channel's events carry: one object per execution, the same from `start` to `asyncEnd`
 * (instrumentations keep their span on it).
 */
export interface ExecutionTraceContext {
  executionId: string;
  /** The execution as it started (status `running`, its pid). */
  snapshot: ExecutionSnapshot;
  /** Its result, from `error`/`asyncEnd` on. */
  result?: ExecutionResult;
  /** Why it did not succeed (a `CommandFailedError` carrying the result), on `error` and after. */
  error?: Error;
}

const channel = tracingChannel<ExecutionTraceContext>(EXECUTION_CHANNEL);

/** True when anyone listens to any of the channel's events (checked per execution start). */
function subscribed(): boolean {
  return (
    channel.start.hasSubscribers ||
    channel.end.hasSubscribers ||
    channel.asyncStart.hasSubscribers ||
    channel.asyncEnd.hasSubscribers ||
    channel.error.hasSubscribers
  );
}

/**
 * Publishes executions on the tracing channel as Node's `tracePromise` does: `start` then `end`
 * when the first attempt's process starts, then (`error` when it did not succeed) `asyncStart` and
 * `asyncEnd` with the result when it ends. Nothing is built or published while nobody subscribes;
 * an execution that started unobserved is not traced.
 */
export class ExecutionTracer {
  readonly #snapshot: (id: string) => ExecutionSnapshot | undefined;
  /** Contexts of traced executions not ended yet. */
  readonly #open = new Map<string, ExecutionTraceContext>();

  constructor(snapshot: (id: string) => ExecutionSnapshot | undefined) {
    this.#snapshot = snapshot;
  }

  /** Sees an execution event (never a line). */
  observe(event: ExecutionEvent): void {
    if (event.type === 'started') {
      if (this.#open.has(event.executionId) || !subscribed()) return;
      const snapshot = this.#snapshot(event.executionId);
      if (snapshot === undefined) return;
      const context: ExecutionTraceContext = { executionId: event.executionId, snapshot };
      this.#open.set(event.executionId, context);
      channel.start.publish(context);
      channel.end.publish(context);
      return;
    }
    if (this.#open.size === 0) return;
    if (
      event.type === 'completed' ||
      event.type === 'failed' ||
      event.type === 'timeout' ||
      event.type === 'cancelled'
    ) {
      this.#end(event);
    }
  }

  #end(event: TerminalEvent): void {
    const context = this.#open.get(event.executionId);
    if (context === undefined) return;
    this.#open.delete(event.executionId);
    const { result } = event;
    context.result = result;
    if (!result.success) {
      context.error = new CommandFailedError(result, failureText(event));
      channel.error.publish(context);
    }
    channel.asyncStart.publish(context);
    channel.asyncEnd.publish(context);
  }
}

/** The failure's summary line (no stderr tail: the output is not decoded for it). */
function failureText(event: TerminalEvent): string {
  const { result } = event;
  return describeFailure({
    status: result.status,
    command: result.command,
    timeoutMs: event.type === 'timeout' ? event.timeoutMs : 0,
    cancelReason: event.type === 'cancelled' ? event.reason : undefined,
    error: result.error,
    exitCode: result.exitCode,
  });
}
