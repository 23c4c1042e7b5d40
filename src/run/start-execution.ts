import type { ExecutionConfig } from '../config.js';
import type { EventBus } from '../events/event-bus.js';
import type { ExecutionEvent } from '../events/event-types.js';
import { makeEvent } from '../events/make-event.js';
import { OutputCapture } from '../io/output-capture.js';
import type { Durability } from '../journal/durability.js';
import { JournaledRun } from '../journal/journaled-run.js';
import type { ExecutionRecord, TerminationReason } from '../state/execution-record.js';
import type { ExecutionRun, RunListener, RunOptions, RunOutcome } from './execution-run.js';
import { ProcessRun } from './process-run.js';

/** What starting an execution needs from the engine. */
export interface StartContext {
  config: ExecutionConfig;
  bus: EventBus;
  /** The journal: processes then run under its wrapper and can outlive the host. */
  durability: Durability | undefined;
  /** Emits an event that is not a line (and keeps it for replay). */
  emit(record: ExecutionRecord, event: ExecutionEvent): void;
  /** Asks for the execution to be terminated for `reason` (first reason wins). */
  stop(record: ExecutionRecord, reason: TerminationReason): void;
  /** The process is gone and its output drained: settle the execution. */
  finish(record: ExecutionRecord, outcome: RunOutcome): void;
}

/** Builds a run from the listener and options wired for it. */
export type RunFactory = (listener: RunListener, options: RunOptions) => ExecutionRun;

/**
 * Wires a run for `record`: output capture (lines, limits, files), the `started` and
 * `outputTruncated` events, the timeout, back-pressure and the journal. `adopted` runs were
 * started by a previous host: no `started` event, and their log files are opened at once.
 */
export function wireRun(
  record: ExecutionRecord,
  context: StartContext,
  factory: RunFactory,
  adopted = false,
): ExecutionRun {
  const { config, durability } = context;
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
  const options = { timeoutMs: record.timeoutMs, killSignal, killGraceMs, killOnExit };
  const listener: RunListener = {
    onSpawn: (pid) => {
      record.pid = pid;
      record.startedAt = new Date();
      record.request = undefined;
      capture.start();
      context.emit(record, makeEvent(record, 'started', { pid, command: record.command }));
      void durability?.started(record);
    },
    onChunk: (stream, chunk) => capture.write(stream, chunk),
    onTimeout: () => context.stop(record, 'timeout'),
    onStreamsEnd: () => capture.end(),
    onEnd: (outcome) => context.finish(record, outcome),
  };
  if (adopted) capture.start();
  const run = factory(listener, options);
  return run;
}

/**
 * Spawns a queued execution's process, directly or (with a journal) under the wrapper that lets
 * it outlive the host. Returns the run, whose `terminate()` stops the whole process group.
 */
export function startExecution(record: ExecutionRecord, context: StartContext): ExecutionRun | undefined {
  const request = record.request;
  if (request === undefined) return undefined;
  const { durability } = context;
  if (durability === undefined) {
    return wireRun(record, context, (listener, options) => new ProcessRun(request, options, listener));
  }
  const files = durability.files(record.id);
  record.stdout.logFile = files.stdoutLog;
  record.stderr.logFile = files.stderrLog;
  return wireRun(record, context, (listener, options) => {
    const mode = { kind: 'spawn', request, beforeSpawn: () => durability.starting(record.id) } as const;
    return new JournaledRun(mode, files, options, listener);
  });
}
