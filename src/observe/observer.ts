import type { ExecutionEvent } from '../events/event-types.js';
import type { ExecutionSnapshot } from '../types.js';
import { DEBUG_ENABLED, debugLine } from './debug-log.js';
import { ExecutionTracer } from './trace-channel.js';

/**
 * The hook the event bus calls with every execution event but lines: debug lines
 * (`NODE_DEBUG=execution-engine`) and the `execution-engine:execution` tracing channel. With
 * debug logging off it is the tracer alone, which does nothing while nobody subscribes.
 */
export function executionObserver(
  snapshot: (id: string) => ExecutionSnapshot | undefined,
): (event: ExecutionEvent) => void {
  const tracer = new ExecutionTracer(snapshot);
  if (!DEBUG_ENABLED) return (event) => tracer.observe(event);
  return (event) => {
    debugLine(event);
    tracer.observe(event);
  };
}
