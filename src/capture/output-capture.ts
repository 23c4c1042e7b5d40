import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OversizedOutputStrategy } from '../config.js';
import type { EventBus } from '../events/event-bus.js';
import { FileSink } from '../io/file-sink.js';
import { deleteOnExit } from '../io/overflow-files.js';
import { utf8Boundary } from '../io/utf8.js';
import type { ProgressTracker } from '../progress/progress-tracker.js';
import type { ExecutionRecord } from '../state/execution-record.js';
import { trackProgress } from './progress-capture.js';
import { type OutputStream, StreamLines } from './stream-lines.js';

/** What output capture needs from the engine. */
export interface OutputCaptureOptions {
  bus: EventBus;
  /** Bytes read from each stream, added to for every chunk (the engine's `stats().outputBytes`). */
  outputBytes: Record<OutputStream, number>;
  streamOutput: boolean;
  maxOutputSizeBytes: number;
  oversizedOutputStrategy: OversizedOutputStrategy;
  logDir: string | undefined;
  /** Least time between two `progress` events (requests with `progress`). */
  progressIntervalMs: number;
  /** Called once when the output first passes the limit. */
  onLimit: () => void;
  /** Pause (true) or resume (false) reading the process's pipes. */
  onPressure: (paused: boolean) => void;
}

/**
 * Turns one execution's raw output into stored lines, line events, log files and overflow
 * files, keeping stdout and stderr together within `maxOutputSizeBytes` of memory.
 */
export class OutputCapture {
  readonly #record: ExecutionRecord;
  readonly #options: OutputCaptureOptions;
  readonly #lines: Record<OutputStream, StreamLines>;
  /** Reads progress from the lines of both streams (requests with `progress`). */
  readonly #progress: ProgressTracker | undefined;
  readonly #logs: Partial<Record<OutputStream, FileSink>> = {};
  readonly #overflow: Partial<Record<OutputStream, FileSink>> = {};
  #used = 0;
  #crossed = false;
  /** Reasons to keep the pipes paused (slow files); reading resumes at zero. */
  #pressure = 0;

  constructor(record: ExecutionRecord, options: OutputCaptureOptions) {
    this.#record = record;
    this.#options = options;
    const progress = trackProgress(record, options.bus, options.progressIntervalMs);
    this.#progress = progress;
    this.#lines = {
      stdout: new StreamLines(record, 'stdout', options.bus, options.streamOutput, progress),
      stderr: new StreamLines(record, 'stderr', options.bus, options.streamOutput, progress),
    };
  }

  /** Opens the log files (with `logDir`); called when the process has started. */
  start(): void {
    const { logDir } = this.#options;
    if (logDir === undefined) return;
    for (const stream of ['stdout', 'stderr'] as const) {
      const sink = this.#sink(join(logDir, `${this.#record.id}.${stream}.log`));
      this.#logs[stream] = sink;
      this.#record[stream].logFile = sink.path;
    }
  }

  /** Feeds bytes read from one of the process's pipes. */
  write(stream: OutputStream, chunk: Buffer): void {
    const now = Date.now();
    this.#options.outputBytes[stream] += chunk.length;
    this.#logs[stream]?.write(chunk);
    let rest: Buffer = chunk;
    if (!this.#crossed) {
      const room = this.#options.maxOutputSizeBytes - this.#used;
      if (chunk.length <= room) {
        this.#used += chunk.length;
        this.#lines[stream].push(chunk, now);
        return;
      }
      const cut = utf8Boundary(chunk, room);
      this.#used += cut;
      if (cut > 0) this.#lines[stream].push(chunk.subarray(0, cut), now);
      this.#crossed = true;
      this.#lines.stdout.stopStoring();
      this.#lines.stderr.stopStoring();
      rest = chunk.subarray(cut);
      this.#options.onLimit();
      // The other stream may have begun a character it had not finished: those bytes are not in
      // its kept text, so they go where the rest of that stream goes.
      const other = stream === 'stdout' ? 'stderr' : 'stdout';
      const held = this.#record[other].buffer.takeUnfinishedChar();
      if (held.length > 0) this.#spill(other, held);
    }
    if (rest.length === 0) return;
    if (this.#spill(stream, rest)) this.#lines[stream].push(rest, now);
  }

  /** Bytes past the limit: flags the stream, files them under `streamToFile`; false under `failExecution`. */
  #spill(stream: OutputStream, bytes: Uint8Array): boolean {
    this.#record[stream].truncated = true;
    const strategy = this.#options.oversizedOutputStrategy;
    if (strategy === 'failExecution') return false;
    if (strategy === 'streamToFile') this.#overflowSink(stream).write(bytes);
    return true;
  }

  /**
   * End of output: emits the last lines and the latest progress held back by the throttle (so
   * it comes before the terminal event), then flushes and closes every file.
   */
  async end(): Promise<void> {
    const emit = !(this.#crossed && this.#options.oversizedOutputStrategy === 'failExecution');
    this.#lines.stdout.end(emit);
    this.#lines.stderr.end(emit);
    this.#progress?.flush();
    const sinks = [...Object.values(this.#logs), ...Object.values(this.#overflow)];
    await Promise.all(sinks.map((sink) => sink.close()));
  }

  #overflowSink(stream: OutputStream): FileSink {
    let sink = this.#overflow[stream];
    if (sink === undefined) {
      const { logDir } = this.#options;
      const name = `${this.#record.id}.${stream}.overflow`;
      const path =
        logDir === undefined
          ? join(tmpdir(), `execution-engine-${randomUUID()}-${name}`)
          : join(logDir, name);
      if (logDir === undefined) deleteOnExit(path);
      sink = this.#sink(path);
      this.#overflow[stream] = sink;
      this.#record[stream].overflowFile = path;
    }
    return sink;
  }

  #sink(path: string): FileSink {
    return new FileSink(path, (blocked) => {
      this.#pressure += blocked ? 1 : -1;
      if (blocked ? this.#pressure === 1 : this.#pressure === 0) this.#options.onPressure(blocked);
    });
  }
}
