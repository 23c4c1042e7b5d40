import type { NormalizedRequest } from '../arguments/normalize-request.js';
import { OutputCapture } from '../capture/output-capture.js';
import type { ExecutionConfig } from '../config.js';
import type { EventBus } from '../events/event-bus.js';
import type { ExecutionEvent } from '../events/event-types.js';
import type { RunOutcome, TerminationReason } from '../execution/outcome.js';
import type { ProcessDriver, RunListener, RunOptions } from '../execution/process-driver.js';
import type { OutputDir } from '../io/output-dir.js';
import { hasOutputFile, readOutputFile } from '../io/output-values.js';
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
  /** The engine's private directory of `EXECUTION_OUTPUT` files (without a journal that keeps them). */
  outputDir: OutputDir;
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
    onEnd: (outcome) => {
      const file = record.outputFile;
      // Not kept once read (a retained execution does not carry the path), unless the journal
      // still has to delete the file once the outputs are in the record.
      if (file !== undefined && !file.keep) record.outputFile = undefined;
      // The process has ended: its outputs, if it wrote any, are read before it settles.
      if (file === undefined || !hasOutputFile(file.path)) {
        context.settle(record, outcome);
        return;
      }
      void readOutputFile(file.path, !file.keep).then((outputs) => {
        record.outputs = outputs;
        context.settle(record, outcome);
      });
    },
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
    const spawned = withOutputFile(record, request, context.outputDir.pathFor(record.id), false);
    return wireRun(record, context, (listener, options) => new ProcessRun(spawned, options, listener));
  }
  const files = durability.files(record.id);
  record.stdout.logFile = files.stdoutLog;
  record.stderr.logFile = files.stderrLog;
  const kept = files.output !== undefined;
  const spawned = withOutputFile(record, request, files.output ?? context.outputDir.pathFor(record.id), kept);
  return wireRun(record, context, (listener, options) => {
    const mode = {
      kind: 'spawn',
      request: spawned,
      beforeSpawn: () => durability.starting(record.id),
    } as const;
    return new JournaledRun(mode, files, options, listener);
  });
}

/**
 * The request as spawned: its environment plus `EXECUTION_OUTPUT`, the path of the file the process
 * may write outputs to. Nothing is created: the process creates the file if it writes outputs.
 */
function withOutputFile(
  record: ExecutionRecord,
  request: NormalizedRequest,
  path: string,
  keep: boolean,
): NormalizedRequest {
  record.outputFile = { path, keep };
  return { ...request, env: { ...(request.env ?? process.env), EXECUTION_OUTPUT: path } };
}
