import type { ExecutionConfig } from '../config.js';
import type { EventBus } from '../events/event-bus.js';
import type { ExecutionEvent } from '../events/event-types.js';
import { makeEvent } from '../events/make-event.js';
import { OutputCapture } from '../io/output-capture.js';
import type { ExecutionRecord, TerminationReason } from '../state/execution-record.js';
import { ProcessRun, type RunOutcome } from './process-run.js';

/** What starting an execution needs from the engine. */
export interface StartContext {
  config: ExecutionConfig;
  bus: EventBus;
  /** Emits an event that is not a line (and keeps it for replay). */
  emit(record: ExecutionRecord, event: ExecutionEvent): void;
  /** Asks for the execution to be terminated for `reason` (first reason wins). */
  stop(record: ExecutionRecord, reason: TerminationReason): void;
  /** The process is gone and its output drained: settle the execution. */
  finish(record: ExecutionRecord, outcome: RunOutcome): void;
}

/**
 * Spawns a queued execution's process and wires it up: output capture (lines, limits, files),
 * the `started` and `outputTruncated` events, the timeout and back-pressure. Returns the run,
 * whose `terminate()` stops the whole process group.
 */
export function startExecution(record: ExecutionRecord, context: StartContext): ProcessRun | undefined {
  const request = record.request;
  if (request === undefined) return undefined;
  const { config } = context;
  const { maxOutputSizeBytes: limitBytes, oversizedOutputStrategy: strategy } = config;
  record.status = 'running';
  record.outputLimitBytes = limitBytes;
  const capture = new OutputCapture(record, {
    ...config,
    bus: context.bus,
    onLimit: () => {
      context.emit(record, makeEvent(record, 'outputTruncated', { limitBytes, strategy }));
      if (strategy === 'failExecution') context.stop(record, 'outputLimit');
    },
    onPressure: (paused) => (paused ? run.hold() : run.release()),
  });
  const { killSignal, killGraceMs, killOnExit } = config;
  const run = new ProcessRun(
    request,
    { timeoutMs: record.timeoutMs, killSignal, killGraceMs, killOnExit },
    {
      onSpawn: (pid) => {
        record.pid = pid;
        record.startedAt = new Date();
        record.request = undefined;
        capture.start();
        context.emit(record, makeEvent(record, 'started', { pid, command: record.command }));
      },
      onChunk: (stream, chunk) => capture.write(stream, chunk),
      onTimeout: () => context.stop(record, 'timeout'),
      onStreamsEnd: () => capture.end(),
      onEnd: (outcome) => context.finish(record, outcome),
    },
  );
  return run;
}
