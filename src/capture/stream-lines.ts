import type { EventBus } from '../events/event-bus.js';
import type { OutputEvent, StderrEvent, StdoutEvent } from '../events/event-types.js';
import { LineSplitter } from '../io/line-splitter.js';
import type { ProgressTracker } from '../progress/progress-tracker.js';
import type { ExecutionRecord } from '../state/execution-record.js';

/** Which output stream. */
export type OutputStream = 'stdout' | 'stderr';

/**
 * One stream of one execution: stores the bytes that are within the output limit and (with
 * `streamOutput`) splits them into lines, notes them in the event log and emits a line event for
 * each, also past the limit, where they are live-only. The line that crosses the limit is stored
 * cut at the limit. Without `streamOutput` nothing is decoded or split until the text is read.
 * While someone takes `output` batches, the lines of each pushed chunk are also emitted together
 * as one `output` event right after the chunk is split (never waiting for more data).
 * With a progress tracker every line is also parsed for progress (even without `streamOutput`),
 * and the chunk's latest progress is committed after its lines, so a `progress` event never
 * falls between the lines of one `output` batch. Without one, no line pays for it.
 */
export class StreamLines {
  readonly #record: ExecutionRecord;
  readonly #stream: OutputStream;
  readonly #bus: EventBus;
  readonly #splitter: LineSplitter | undefined;
  readonly #progress: ProgressTracker | undefined;
  /** Without `streamOutput`, but with progress: splits lines for the progress parser only. */
  readonly #progressLines: LineSplitter | undefined;
  #storing = true;
  /** Lines stored so far (the index of the next stored line). */
  #stored = 0;
  /** The line that crossed the limit is partly stored: the next line is that one. */
  #cut = false;
  /** Time of the chunk being split; every line of a chunk shares it. */
  #now = 0;
  /** Whether anyone listens to this stream's line events, checked once per chunk. */
  #wanted = false;
  /** The lines of the chunk being split, while someone takes `output` batches. */
  #batch: string[] | undefined;
  /** The `seq` of the batch's first line. */
  #batchSeq = 0;

  constructor(
    record: ExecutionRecord,
    stream: OutputStream,
    bus: EventBus,
    emitLines: boolean,
    progress?: ProgressTracker,
  ) {
    this.#record = record;
    this.#stream = stream;
    this.#bus = bus;
    this.#progress = progress;
    // The per-line callback is chosen once: only an execution with progress has one that parses.
    if (progress === undefined) {
      if (emitLines) this.#splitter = new LineSplitter((line) => this.#onLine(line));
    } else if (emitLines) {
      this.#splitter = new LineSplitter((line) => {
        this.#onLine(line);
        progress.line(line, stream);
      });
    } else {
      this.#progressLines = new LineSplitter((line) => progress.line(line, stream));
    }
  }

  push(chunk: Uint8Array, now: number): void {
    if (this.#storing) this.#record[this.#stream].buffer.append(chunk);
    if (this.#splitter === undefined) {
      if (this.#progressLines !== undefined) this.#parseOnly(chunk);
      return;
    }
    this.#now = now;
    this.#wanted = this.#bus.wants(this.#stream);
    if (this.#wholeChunk()) {
      const lines: string[] = [];
      this.#splitter.pushInto(chunk, lines);
      this.#addChunk(lines);
      return;
    }
    if (this.#bus.wantsBatches()) this.#batch = [];
    this.#splitter.push(chunk);
    if (this.#batch !== undefined) this.#flush();
    this.#progress?.commit();
  }

  /**
   * True when this chunk's lines can be handled as one: nobody takes per-line events and no
   * progress is parsed, and either every line is stored whole or (past the limit, with no
   * subscriber) none is kept at all. Then no per-line work is done but the split itself.
   */
  #wholeChunk(): boolean {
    if (this.#wanted || this.#progress !== undefined) return false;
    return this.#storing || (!this.#cut && !this.#record.log.hasSubscribers);
  }

  /** The lines of one read, handled together: `seq` numbers, the replay index, one `output` batch. */
  #addChunk(lines: string[]): void {
    const count = lines.length;
    if (count === 0) return;
    const record = this.#record;
    const seq = record.seq + 1;
    record.seq += count;
    if (this.#storing) {
      record.log.addLines(this.#stream, seq, count, this.#stored, this.#now, lines);
      this.#stored += count;
    }
    if (!this.#bus.wantsBatches()) return;
    this.#batch = lines;
    this.#batchSeq = seq;
    this.#flush();
  }

  /** Without `streamOutput`: the chunk's lines go to the progress parser only. */
  #parseOnly(chunk: Uint8Array | undefined): void {
    if (chunk === undefined) this.#progressLines!.end();
    else this.#progressLines!.push(chunk);
    this.#progress!.commit();
  }

  /** The limit was reached: store nothing more; the line in progress stays as far as it got. */
  stopStoring(): void {
    if (!this.#storing) return;
    this.#storing = false;
    this.#cut = this.#record[this.#stream].buffer.endsMidLine;
  }

  /** End of the stream: emits the last unterminated line (unless `emit` is false). */
  end(emit: boolean): void {
    if (emit && this.#splitter !== undefined) {
      this.#now = Date.now();
      this.#wanted = this.#bus.wants(this.#stream);
      if (this.#wholeChunk()) {
        const lines: string[] = [];
        this.#splitter.endInto(lines);
        this.#addChunk(lines);
      } else {
        if (this.#bus.wantsBatches()) this.#batch = [];
        this.#splitter.end();
        if (this.#batch !== undefined) this.#flush();
        this.#progress?.commit();
      }
    } else if (emit && this.#progressLines !== undefined) {
      this.#parseOnly(undefined);
    }
    this.#record[this.#stream].buffer.seal();
  }

  #onLine(line: string): void {
    const record = this.#record;
    let index = -1;
    let whole = true;
    if (this.#storing) {
      index = this.#stored++;
    } else if (this.#cut) {
      index = this.#stored++;
      whole = false;
      this.#cut = false;
    }
    const seq = ++record.seq;
    if (index !== -1) record.log.addLine(this.#stream, seq, index, this.#now);
    const batch = this.#batch;
    if (batch !== undefined) {
      if (batch.length === 0) this.#batchSeq = seq;
      batch.push(line);
    }
    const liveOnly = !whole || index === -1;
    const subscribed = liveOnly && record.log.hasSubscribers;
    if (!this.#wanted && !subscribed) return;
    const event = { type: this.#stream, executionId: record.id, seq, timestamp: this.#now, line } as
      | StdoutEvent
      | StderrEvent;
    if (record.metadata !== undefined) event.metadata = record.metadata;
    if (record.schedule !== undefined) event.schedule = record.schedule;
    if (record.pipeline !== undefined) event.pipeline = record.pipeline;
    if (subscribed) record.log.addLive(event);
    if (this.#wanted) this.#bus.emitLine(event);
  }

  /** Emits the lines of the chunk just split as one `output` event (none if it had no line). */
  #flush(): void {
    const lines = this.#batch!;
    this.#batch = undefined;
    if (lines.length === 0) return;
    const record = this.#record;
    const event: OutputEvent = {
      type: 'output',
      executionId: record.id,
      seq: this.#batchSeq,
      timestamp: this.#now,
      stream: this.#stream,
      lines,
    };
    if (record.metadata !== undefined) event.metadata = record.metadata;
    if (record.schedule !== undefined) event.schedule = record.schedule;
    if (record.pipeline !== undefined) event.pipeline = record.pipeline;
    this.#bus.emitBatch(event);
  }
}
