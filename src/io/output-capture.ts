import type { EventBus } from '../events/event-bus.js';
import type { StderrEvent, StdoutEvent } from '../events/event-types.js';
import type { ExecutionRecord } from '../state/execution-record.js';
import { LineSplitter } from './line-splitter.js';

/** Which stream a line belongs to. */
export type OutputStream = 'stdout' | 'stderr';

/**
 * Turns one execution's raw output into stored lines and per-line events. Each stream has its
 * own splitter; lines are stored in batches and emitted one by one, in order, before the
 * terminal event.
 */
export class OutputCapture {
  readonly #stdout: LineSplitter;
  readonly #stderr: LineSplitter;

  constructor(record: ExecutionRecord, bus: EventBus, streamOutput: boolean) {
    this.#stdout = this.#splitter(record, bus, streamOutput, 'stdout');
    this.#stderr = this.#splitter(record, bus, streamOutput, 'stderr');
  }

  /** Feeds bytes read from one of the process's pipes. */
  write(stream: OutputStream, chunk: Buffer): void {
    (stream === 'stdout' ? this.#stdout : this.#stderr).push(chunk);
  }

  /** End of output: emits the last unterminated lines and flushes the stored batches. */
  end(record: ExecutionRecord): void {
    this.#stdout.end();
    this.#stderr.end();
    record.stdout.buffer.flush();
    record.stderr.buffer.flush();
    record.stdout.partial = undefined;
    record.stderr.partial = undefined;
  }

  #splitter(
    record: ExecutionRecord,
    bus: EventBus,
    streamOutput: boolean,
    stream: OutputStream,
  ): LineSplitter {
    const state = record[stream];
    const buffer = state.buffer;
    const splitter = new LineSplitter((line) => {
      buffer.append(line);
      if (!streamOutput) return;
      if (!bus.wants(stream)) {
        record.seq++;
        return;
      }
      const event = {
        type: stream,
        executionId: record.id,
        seq: ++record.seq,
        timestamp: Date.now(),
        line,
      } as StdoutEvent | StderrEvent;
      if (record.metadata !== undefined) event.metadata = record.metadata;
      bus.emit(event);
    });
    state.partial = () => splitter.pending();
    return splitter;
  }
}
