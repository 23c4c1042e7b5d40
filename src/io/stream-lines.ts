import type { EventBus } from '../events/event-bus.js';
import type { StderrEvent, StdoutEvent } from '../events/event-types.js';
import type { ExecutionRecord } from '../state/execution-record.js';
import { LineSplitter } from './line-splitter.js';

/** Which output stream. */
export type OutputStream = 'stdout' | 'stderr';

/**
 * One stream of one execution: splits its bytes into lines, stores the lines that are within the
 * output limit, notes them in the event log, and emits a line event for every line (also past the
 * limit, where they are live-only). The line that crosses the limit is stored cut at the limit.
 */
export class StreamLines {
  readonly #record: ExecutionRecord;
  readonly #stream: OutputStream;
  readonly #bus: EventBus;
  readonly #emitLines: boolean;
  readonly #splitter: LineSplitter;
  #storing = true;
  /** The kept part of the line that crossed the limit, stored when that line ends. */
  #cut: string | undefined;
  /** Time of the chunk being split; every line of a chunk shares it. */
  #now = 0;

  constructor(record: ExecutionRecord, stream: OutputStream, bus: EventBus, emitLines: boolean) {
    this.#record = record;
    this.#stream = stream;
    this.#bus = bus;
    this.#emitLines = emitLines;
    this.#splitter = new LineSplitter((line) => this.#onLine(line));
    record[stream].partial = () => (this.#storing ? this.#splitter.pending() : (this.#cut ?? ''));
  }

  push(chunk: Uint8Array, now: number): void {
    this.#now = now;
    this.#splitter.push(chunk);
  }

  /** The limit was reached: keep the line in progress as far as it got, store nothing after it. */
  stopStoring(): void {
    if (!this.#storing) return;
    this.#storing = false;
    this.#cut = this.#splitter.pending();
  }

  /** End of the stream: emits the last unterminated line (unless `emit` is false) and stores the rest. */
  end(emit: boolean): void {
    this.#now = Date.now();
    if (emit) this.#splitter.end();
    if (this.#cut !== undefined && this.#cut !== '') this.#record[this.#stream].buffer.append(this.#cut);
    this.#cut = undefined;
    const state = this.#record[this.#stream];
    state.buffer.flush();
    state.partial = undefined;
  }

  #onLine(line: string): void {
    const record = this.#record;
    const buffer = record[this.#stream].buffer;
    let index = -1;
    let whole = true;
    if (this.#storing) {
      index = buffer.lineCount;
      buffer.append(line);
    } else if (this.#cut !== undefined) {
      if (this.#cut !== '') {
        index = buffer.lineCount;
        buffer.append(this.#cut);
        whole = false;
      }
      this.#cut = undefined;
    }
    if (!this.#emitLines) return;
    const seq = ++record.seq;
    if (index !== -1) record.log.addLine(this.#stream, seq, index, this.#now);
    const wanted = this.#bus.wants(this.#stream);
    const liveOnly = !whole || index === -1;
    if (!wanted && (!liveOnly || !record.log.hasSubscribers)) return;
    const event = { type: this.#stream, executionId: record.id, seq, timestamp: this.#now, line } as
      | StdoutEvent
      | StderrEvent;
    if (record.metadata !== undefined) event.metadata = record.metadata;
    if (liveOnly && record.log.hasSubscribers) record.log.addLive(event);
    if (wanted) this.#bus.emit(event);
  }
}
