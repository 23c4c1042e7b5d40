import { OutputCapture } from '../capture/output-capture.js';
import type { ExecutionConfig } from '../config.js';
import type { EventBus } from '../events/event-bus.js';
import type { ExecutionEvent } from '../events/event-types.js';
import type { RunOutcome, TerminationReason } from '../execution/outcome.js';
import type { ProcessDriver, RunListener, RunOptions } from '../execution/process-driver.js';
import type { Durability } from '../journal/durability.js';
import { JournaledRun } from '../journal/journaled-run.js';
import type { ExecutionRecord } from '../state/execution-record.js';
import { makeEvent } from '../state/make-event.js';
import { ProcessRun } from './process-run.js';

/** What starting an execution needs from the coordinator. */
export interface StartContext {
  config: ExecutionConfig;
  bus: EventBus;
  /** The journal: processes then run under its wrapper and can outlive the host. */
  durability: Durability | undefined;
  /** Bytes read from the processes' stdout and stderr, added to by output capture. */
  outputBytes: { stdout: number; stderr: number };
  /** Emits an event that is not a line (and keeps it for replay). */
  emit(record: ExecutionRecord, event: ExecutionEvent): void;
  /** Asks for the execution to be terminated for `reason` (first reason wins). */
  stop(record: ExecutionRecord, reason: TerminationReason): void;
  /** The attempt's process exists. */
  spawned(record: ExecutionRecord, pid: number): void;
  /** The process is gone and its output drained: settle the execution. */
  settle(record: ExecutionRecord, outcome: RunOutcome): void;
}

/** Builds a driver from the listener and options wired for it. */
export type RunFactory = (listener: RunListener, options: RunOptions) => ProcessDriver;

/**
 * Wires a driver for `record`: output capture (lines, limits, files), the `outputTruncated`
 * event, back-pressure, and the spawn and end reports that drive the state machine. `adopted`
 * drivers took over a process a previous host started: their log files are read at once.
 */
export function wireRun(
  record: ExecutionRecord,
  context: StartContext,
  factory: RunFactory,
  adopted = false,
): ProcessDriver {
  const { config } = context;
  const { maxOutputSizeBytes: limitBytes, oversizedOutputStrategy: strategy } = config;
  const capture = new OutputCapture(record, {
    ...config,
    bus: context.bus,
    outputBytes: context.outputBytes,
    onLimit: () => {
      context.emit(record, makeEvent(record, 'outputTruncated', { limitBytes, strategy }));
      if (strategy === 'failExecution') context.stop(record, 'outputLimit');
    },
    onPressure: (paused) => (paused ? driver.hold() : driver.release()),
  });
  const { killOnExit } = config;
  const { signal: killSignal, graceMs: killGraceMs } = record.kill;
  const listener: RunListener = {
    onSpawn: (pid) => {
      record.releaseRequest();
      capture.start();
      context.spawned(record, pid);
    },
    onChunk: (stream, chunk) => capture.write(stream, chunk),
    onStreamsEnd: () => capture.end(),
    onEnd: (outcome) => context.settle(record, outcome),
  };
  if (adopted) capture.start();
  const driver = factory(listener, { killSignal, killGraceMs, killOnExit });
  return driver;
}

/**
 * The driver for a starting execution: a local process group, or (with a journal) a run under
 * the wrapper that lets the process outlive the host. Its `terminate()` stops the whole group.
 */
export function startExecution(record: ExecutionRecord, context: StartContext): ProcessDriver {
  const request = record.request;
  if (request === undefined) throw new Error(`Execution ${record.id} has no request to start`);
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
