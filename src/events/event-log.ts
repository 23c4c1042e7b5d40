import type { OutputBuffer } from '../io/output-buffer.js';
import type { PipelineRef, UntypedMeta } from '../types.js';
import {
  type BatchedEvent,
  type ExecutionEvent,
  isTerminalEvent,
  type OutputEvent,
  type ProgressEvent,
  type StderrEvent,
  type StdoutEvent,
} from './event-types.js';
import { RecentReads } from './recent-reads.js';

/**
 * Numbers per line run in the flat run array: first seq, buffer code, count, first line index,
 * timestamp. The buffer code is `2 * k + stream` for the k-th set of output buffers (one per attempt
 * whose lines were logged; stdout 0, stderr 1).
 */
const RUN_SIZE = 5;
/** Live-only line events (past the output limit) kept for subscribers that lag a little... */
const LIVE_RING = 1000;
/** ...and at most this many characters of them. */
const LIVE_RING_CHARS = 1024 * 1024;
const STREAMS = ['stdout', 'stderr'] as const;
/** Line readers by buffer code (see `OutputBuffer.reader`), made when first needed. */
type LineReaders = (code: number) => (index: number) => string;
/** At most this many lines per replayed `output` batch, so one batch never holds a whole run. */
const REPLAY_BATCH = 4096;
/**
 * The empty live ring, wake list and line runs every log starts with and returns to, shared so a finished
 * execution keeps no arrays it does not use. Never written: replaced by a fresh array first.
 */
const NONE_LIVE: ExecutionEvent[] = [];
const NONE_WAKE: (() => void)[] = [];
const NONE_RUNS: number[] = [];

/**
 * The retained events of one execution, for replay and subscriptions. Events other than lines
 * are few and kept as objects; line events are not: a run of consecutive `seq` numbers on one
 * stream within one millisecond is kept as five numbers, and replay rebuilds each line event from
 * the stored output. A million one-character lines cost about the output, not a million objects.
 * Of the `progress` events only the latest is kept: a late subscriber wants where it stands now.
 */
export class EventLog {
  readonly #executionId: string;
  readonly #metadata: Record<string, unknown> | undefined;
  readonly #schedule: string | undefined;
  readonly #pipeline: PipelineRef | undefined;
  /** stdout and stderr buffers of each attempt with logged lines, flat: [out0, err0, out1, err1, ...]. */
  #buffers: OutputBuffer[];
  /** The code of the current attempt's stdout buffer (its stderr is `#base + 1`). */
  #base = 0;
  #control: ExecutionEvent[] = [];
  #runs: number[] = NONE_RUNS;
  /** Recent line events that are not retained (past the limit), while someone subscribes. */
  #live: ExecutionEvent[] = NONE_LIVE;
  #liveChars = 0;
  /**
   * The lines of the latest reads, as split, while someone subscribes: a subscriber that keeps up
   * takes them as they are instead of decoding the stored bytes again.
   */
  #recent: RecentReads | undefined;
  /** The latest `progress` event; an earlier one is dropped when the next comes. */
  #progress: ProgressEvent | undefined;
  #lastSeq = 0;
  /** The terminal event was added: a subscription with nothing left to replay ends. */
  #ended = false;
  #subscribers = 0;
  #wake: (() => void)[] = NONE_WAKE;

  constructor(
    executionId: string,
    metadata: Record<string, unknown> | undefined,
    buffers: [OutputBuffer, OutputBuffer],
    schedule?: string,
    pipeline?: PipelineRef,
  ) {
    this.#executionId = executionId;
    this.#metadata = metadata;
    this.#schedule = schedule;
    this.#pipeline = pipeline;
    this.#buffers = [...buffers];
  }

  /**
   * A new attempt stores its output in `buffers`: its lines are read from there, while the earlier
   * attempts' lines are still replayed from theirs. Buffers no line was logged from are replaced,
   * not kept.
   */
  nextAttempt(buffers: [OutputBuffer, OutputBuffer]): void {
    const runs = this.#runs;
    const used = runs.length > 0 && runs[runs.length - RUN_SIZE + 1]! >= this.#base;
    if (used) this.#base += 2;
    // A new array of exactly the buffers kept: a pushed-to array keeps spare room for good.
    this.#buffers = [...this.#buffers.slice(0, this.#base), ...buffers];
  }

  /** True while at least one subscription is open. */
  get hasSubscribers(): boolean {
    return this.#subscribers > 0;
  }

  /** Keeps an event that is not a line. The terminal one drops the live-only lines: never replayed. */
  addControl(event: ExecutionEvent): void {
    this.#control.push(event);
    if (isTerminalEvent(event)) {
      // Nothing is added after the terminal event: drop the array's spare capacity (a pushed-to
      // array keeps room for about 16 more), which a retained execution would carry for good.
      this.#control = this.#control.slice();
      this.#live = NONE_LIVE;
      this.#liveChars = 0;
      this.#recent = undefined;
      this.#ended = true;
    }
    this.#advance(event.seq);
  }

  /** Keeps a `progress` event in place of the previous one. */
  addProgress(event: ProgressEvent): void {
    this.#progress = event;
    this.#advance(event.seq);
  }

  /** Notes that the stored line `lineIndex` of `stream` was emitted with `seq` at `timestamp`. */
  addLine(stream: 'stdout' | 'stderr', seq: number, lineIndex: number, timestamp: number): void {
    this.addLines(stream, seq, 1, lineIndex, timestamp);
  }

  /**
   * Notes that `count` stored lines of `stream`, from `lineIndex` on, were emitted with the `seq`
   * numbers from `seq` on, all at `timestamp` (the lines of one read): one run, or the last run
   * made longer. `lines`, the read's lines as split, are kept a little while someone subscribes.
   */
  addLines(
    stream: 'stdout' | 'stderr',
    seq: number,
    count: number,
    lineIndex: number,
    timestamp: number,
    lines?: string[],
  ): void {
    if (count === 0) return;
    const code = this.#base + (stream === 'stdout' ? 0 : 1);
    if (lines !== undefined && this.#subscribers > 0) {
      this.#recent ??= new RecentReads();
      this.#recent.keep(seq, code, lines);
    }
    const runs = this.#runs;
    const last = runs.length - RUN_SIZE;
    if (
      last >= 0 &&
      runs[last + 1] === code &&
      runs[last]! + runs[last + 2]! === seq &&
      runs[last + 3]! + runs[last + 2]! === lineIndex &&
      runs[last + 4] === timestamp
    ) {
      runs[last + 2]! += count;
    } else if (runs === NONE_RUNS) {
      this.#runs = [seq, code, count, lineIndex, timestamp];
    } else {
      runs.push(seq, code, count, lineIndex, timestamp);
    }
    this.#advance(seq + count - 1);
  }

  /** Keeps a line event that is not retained, for subscribers only, in a bounded ring. */
  addLive(event: StdoutEvent | StderrEvent): void {
    if (this.#live === NONE_LIVE) this.#live = [];
    this.#live.push(event);
    this.#liveChars += event.line.length;
    if (this.#live.length > LIVE_RING || this.#liveChars > LIVE_RING_CHARS) {
      // Drop the oldest half (by count or by size), keeping what a lagging subscriber needs next.
      let drop = 0;
      let chars = 0;
      while (drop < this.#live.length - 1 && (drop < this.#live.length / 2 || chars < this.#liveChars / 2)) {
        chars += (this.#live[drop] as StdoutEvent | StderrEvent).line.length;
        drop++;
      }
      this.#live = this.#live.slice(drop);
      this.#liveChars -= chars;
    }
    this.#advance(event.seq);
  }

  /** Retained events with `after < seq <= until`, in `seq` order, built lazily one at a time. */
  *replay(
    after: number,
    until: number = this.#lastSeq,
    readers: LineReaders = this.#readers(),
  ): Generator<ExecutionEvent> {
    let c = firstAfter(this.#control, after);
    let r = this.#firstRunEndingAfter(after) * RUN_SIZE;
    let seq = after;
    while (true) {
      const runs = this.#runs;
      const { next, nextControl, nextLine, nextProgress, liveIndex } = this.#peek(c, r, seq);
      const live = this.#live[liveIndex];
      if (next > until) return;
      if (next === nextProgress) {
        yield this.#progress!;
      } else if (next === nextControl) {
        yield this.#control[c++]!;
      } else if (next === nextLine) {
        const offset = next - runs[r]!;
        const code = runs[r + 1]!;
        const lineIndex = runs[r + 3]! + offset;
        const timestamp = runs[r + 4]!;
        if (offset + 1 >= runs[r + 2]!) r += RUN_SIZE;
        // The line that crossed the limit is stored cut; while its full text is in the ring, use it.
        if (live?.seq === next) yield live;
        else
          yield this.#lineEvent(code, next, this.#recent?.line(next) ?? readers(code)(lineIndex), timestamp);
      } else {
        yield live!;
      }
      seq = next;
    }
  }

  /**
   * Like {@link replay}, with each stretch of consecutive lines of one stream (a run of the log,
   * or of the live-only ring) given as `output` batches instead of line events: no object per line.
   */
  *replayBatched(
    after: number,
    until: number = this.#lastSeq,
    readers: LineReaders = this.#readers(),
  ): Generator<BatchedEvent> {
    let c = firstAfter(this.#control, after);
    let r = this.#firstRunEndingAfter(after) * RUN_SIZE;
    let seq = after;
    while (true) {
      const runs = this.#runs;
      const { next, nextControl, nextLine, nextProgress, liveIndex } = this.#peek(c, r, seq);
      let l = liveIndex;
      const live = this.#live[l] as StdoutEvent | StderrEvent | undefined;
      if (next > until) return;
      if (next === nextControl || next === nextProgress) {
        yield next === nextProgress ? this.#progress! : (this.#control[c++]! as BatchedEvent);
        seq = next;
        continue;
      }
      const lines: string[] = [];
      let code: number;
      let timestamp: number;
      let last = next;
      if (next === nextLine) {
        code = runs[r + 1]!;
        timestamp = runs[r + 4]!;
        const runEnd = runs[r]! + runs[r + 2]! - 1;
        const recent = this.#recentRead(next, code, Math.min(runEnd, until));
        if (recent !== undefined) {
          // A read kept as split: its lines as they are, no decoding.
          last = next + recent.length - 1;
          if (last === runEnd) r += RUN_SIZE;
          yield this.#batch(code, next, recent, timestamp);
          seq = last;
          continue;
        }
        last = Math.min(runEnd, until, next + REPLAY_BATCH - 1);
        const read = readers(code);
        for (let s = next; s <= last; s++) {
          // The line that crossed the limit is stored cut; while its full text is in the ring, use it.
          const held = this.#live[l] as StdoutEvent | StderrEvent | undefined;
          if (held?.seq === s) {
            lines.push(held.line);
            l++;
          } else {
            lines.push(read(runs[r + 3]! + s - runs[r]!));
          }
        }
        if (last === runEnd) r += RUN_SIZE;
      } else {
        const first = live!;
        code = first.type === 'stdout' ? 0 : 1;
        timestamp = first.timestamp;
        lines.push(first.line);
        l++;
        while (lines.length < REPLAY_BATCH) {
          const more = this.#live[l] as StdoutEvent | StderrEvent | undefined;
          if (more === undefined || more.type !== first.type || more.seq !== last + 1) break;
          if (more.seq > until || more.seq >= nextControl || more.seq >= nextLine || more.seq >= nextProgress)
            break;
          lines.push(more.line);
          last = more.seq;
          l++;
        }
      }
      yield this.#batch(code, next, lines, timestamp);
      seq = last;
    }
  }

  /**
   * Every retained event in order, then live ones, ending after the terminal event. Breaking
   * out of the loop or aborting `signal` (which throws its reason) releases the subscription.
   * `batched`: lines come as `output` batches (see {@link replayBatched}). `after`: only events with
   * a greater `seq` (a reconnecting consumer's last one).
   */
  subscribe(
    signal?: AbortSignal,
    batched?: false,
    after?: number,
  ): AsyncGenerator<ExecutionEvent<UntypedMeta>, void, undefined>;
  subscribe(
    signal: AbortSignal | undefined,
    batched: true,
    after?: number,
  ): AsyncGenerator<BatchedEvent<UntypedMeta>, void, undefined>;
  subscribe(
    signal?: AbortSignal,
    batched?: boolean,
    after?: number,
  ): AsyncGenerator<ExecutionEvent<UntypedMeta> | BatchedEvent<UntypedMeta>, void, undefined>;
  async *subscribe(
    signal?: AbortSignal,
    batched = false,
    after = 0,
  ): AsyncGenerator<ExecutionEvent<UntypedMeta> | BatchedEvent<UntypedMeta>, void, undefined> {
    this.#subscribers++;
    try {
      let cursor = after;
      // One set of line readers for the whole subscription: each keeps its place in the output,
      // so following a running execution reads every line once, not from the start at each wake.
      const readers = this.#readers();
      while (true) {
        signal?.throwIfAborted();
        const until = this.#lastSeq;
        const events = batched
          ? this.replayBatched(cursor, until, readers)
          : this.replay(cursor, until, readers);
        for (const event of events) {
          yield event;
          if (event.type !== 'output' && isTerminalEvent(event)) return;
          signal?.throwIfAborted();
        }
        cursor = Math.max(cursor, until);
        // Resumed after the terminal event: nothing more will come.
        if (this.#ended && this.#lastSeq <= cursor) return;
        // Events may have arrived while the consumer was busy: only wait when there are none.
        if (this.#lastSeq === until) await this.#changed(signal);
      }
    } finally {
      this.#subscribers--;
      if (this.#subscribers === 0) this.#recent = undefined;
    }
  }

  /**
   * The lines of a recent read of buffer `code` starting at `seq` and ending by `until`, when
   * one is kept and no line of it is held whole in the live ring (the one cut at the limit).
   */
  #recentRead(seq: number, code: number, until: number): string[] | undefined {
    const lines = this.#recent?.read(seq, code, until);
    if (lines === undefined) return undefined;
    const live = this.#live[firstAfter(this.#live, seq - 1)];
    return live !== undefined && live.seq < seq + lines.length ? undefined : lines;
  }

  #advance(seq: number): void {
    this.#lastSeq = seq;
    if (this.#wake.length === 0) return;
    const wake = this.#wake;
    this.#wake = NONE_WAKE;
    for (const resolve of wake) resolve();
  }

  #changed(signal: AbortSignal | undefined): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => reject(signal?.reason);
      signal?.addEventListener('abort', onAbort, { once: true });
      if (this.#wake === NONE_WAKE) this.#wake = [];
      this.#wake.push(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      });
    });
  }

  /**
   * Where a replay at `seq` goes next: the control event at index `c`, the run of lines at offset
   * `r` of the run table, the live-only ring (index `liveIndex`) or the latest progress event,
   * whichever has the lowest seq.
   */
  #peek(c: number, r: number, seq: number) {
    const runs = this.#runs;
    const nextControl = this.#control[c]?.seq ?? Number.POSITIVE_INFINITY;
    const nextLine = r < runs.length ? Math.max(runs[r]!, seq + 1) : Number.POSITIVE_INFINITY;
    const progressSeq = this.#progress?.seq ?? 0;
    const nextProgress = progressSeq > seq ? progressSeq : Number.POSITIVE_INFINITY;
    const liveIndex = firstAfter(this.#live, seq);
    const live = this.#live[liveIndex]?.seq ?? Number.POSITIVE_INFINITY;
    const next = Math.min(nextControl, nextLine, nextProgress, live);
    return { next, nextControl, nextLine, nextProgress, liveIndex };
  }

  /** Line readers by buffer code, each made when first needed. */
  #readers(): LineReaders {
    const readers: ((index: number) => string)[] = [];
    return (code) => {
      let reader = readers[code];
      if (reader === undefined) {
        reader = this.#buffers[code]!.reader();
        readers[code] = reader;
      }
      return reader;
    };
  }

  #firstRunEndingAfter(after: number): number {
    const runs = this.#runs;
    let low = 0;
    let high = runs.length / RUN_SIZE;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (runs[mid * RUN_SIZE]! + runs[mid * RUN_SIZE + 2]! - 1 <= after) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  #batch(code: number, seq: number, lines: string[], timestamp: number): OutputEvent {
    const event: OutputEvent = {
      type: 'output',
      executionId: this.#executionId,
      seq,
      timestamp,
      stream: STREAMS[code & 1]!,
      lines,
    };
    if (this.#metadata !== undefined) event.metadata = this.#metadata;
    if (this.#schedule !== undefined) event.schedule = this.#schedule;
    if (this.#pipeline !== undefined) event.pipeline = this.#pipeline;
    return event;
  }

  #lineEvent(code: number, seq: number, line: string, timestamp: number): StdoutEvent | StderrEvent {
    const event = { type: STREAMS[code & 1]!, executionId: this.#executionId, seq, timestamp, line } as
      | StdoutEvent
      | StderrEvent;
    if (this.#metadata !== undefined) event.metadata = this.#metadata;
    if (this.#schedule !== undefined) event.schedule = this.#schedule;
    if (this.#pipeline !== undefined) event.pipeline = this.#pipeline;
    return event;
  }
}

/** Index of the first event with `seq > after` in a list sorted by seq. */
function firstAfter(events: readonly ExecutionEvent[], after: number): number {
  let low = 0;
  let high = events.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (events[mid]!.seq <= after) low = mid + 1;
    else high = mid;
  }
  return low;
}
