import { InvalidRequestError } from '../errors.js';
import type { BatchedEvent, ExecutionEvent } from '../events/event-types.js';
import { EVENT_TYPES } from '../protocol/wire-event.js';
import { executionStream } from './execution-stream.js';
import { liveStream } from './live-events.js';
import { lastEventId, linesParam, listParam } from './query.js';
import type { Route, RouteContext } from './router.js';
import { SSE_HEADERS, type StreamEvent } from './sse-format.js';

function sse(body: ReadableStream<Uint8Array>): Response {
  return new Response(body, { status: 200, headers: SSE_HEADERS });
}

function executionEvents(context: RouteContext): Response {
  const { params, principal, tenancy, engine, url, request, options, streams } = context;
  const id = params.id!;
  tenancy.check(principal, id);
  const lines = linesParam(url);
  const afterSeq = lastEventId(request, url);
  const open = (signal: AbortSignal) =>
    engine.subscribe(id, { signal, lines: lines as 'batched', afterSeq: afterSeq ?? 0 }) as AsyncIterable<
      ExecutionEvent | BatchedEvent
    >;
  open(new AbortController().signal); // checks the id and options now: errors answer as JSON, not as a stream
  return sse(
    executionStream({ executionId: id, open, afterSeq, heartbeatMs: options.heartbeatMs, counter: streams }),
  );
}

function allEvents(context: RouteContext): Response {
  const { url, principal, tenancy, live, options, streams } = context;
  const types = listParam(url, 'types');
  for (const type of types ?? []) {
    if (!EVENT_TYPES.has(type)) {
      throw new InvalidRequestError(
        'types',
        `Expected \`types\` to list event types, got \`${type.slice(0, 40)}\``,
      );
    }
  }
  const wanted = types === undefined ? undefined : new Set(types);
  const wants = (event: StreamEvent) =>
    (wanted === undefined || wanted.has(event.type)) &&
    (event.type === 'pipeline'
      ? tenancy.seesPipeline(principal, event.pipelineId)
      : tenancy.sees(principal, event.executionId));
  return sse(
    liveStream({
      hub: live,
      mode: linesParam(url),
      wants,
      heartbeatMs: options.heartbeatMs,
      maxBufferedBytes: options.maxBufferedBytes,
      counter: streams,
    }),
  );
}

/** The event-stream routes: one execution's events, and every execution's and pipeline's live. */
export const eventRoutes: readonly Route[] = [
  { method: 'GET', pattern: '/executions/:id/events', handle: executionEvents },
  { method: 'GET', pattern: '/events', handle: allEvents },
];
