import { InvalidRequestError } from '../errors.js';
import type { BatchedEvent, ExecutionEvent } from '../events/event-types.js';
import type { PipelineEvent } from '../pipeline/pipeline-types.js';
import type { AnyEngine } from './serve-options.js';
import { EVENT_TYPES, type StreamEvent } from './wire-event.js';

/** The `types` parameter: event type names, or absent for all. @throws InvalidRequestError */
export function readTypes(value: unknown): Set<string> | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.some((type) => typeof type !== 'string' || !EVENT_TYPES.has(type))) {
    const shown = Array.isArray(value) ? value.find((type) => !EVENT_TYPES.has(type)) : value;
    throw new InvalidRequestError(
      'types',
      `Expected \`types\` to list event types, got \`${String(shown).slice(0, 40)}\``,
    );
  }
  return new Set(value as string[]);
}

/**
 * Listens to every execution's events (in `lines` mode) and every pipeline's, live, calling
 * `push` with those `types` names; returns the function that stops listening.
 */
export function listenLive(
  engine: AnyEngine,
  types: Set<string> | undefined,
  lines: 'each' | 'batched',
  push: (event: StreamEvent) => void,
): () => void {
  const wants = (event: StreamEvent) => types === undefined || types.has(event.type);
  const handler = {
    handleEvent: (event: ExecutionEvent | BatchedEvent) => {
      if (wants(event)) push(event);
    },
  };
  const remove =
    lines === 'batched'
      ? engine.addEventHandler(handler, { lines: 'batched' })
      : engine.addEventHandler(handler);
  const onPipeline = (event: PipelineEvent) => {
    if (wants(event)) push(event);
  };
  engine.on('pipeline', onPipeline);
  return () => {
    remove();
    engine.off('pipeline', onPipeline);
  };
}
