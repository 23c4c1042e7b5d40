import { isAscii } from 'node:buffer';
import { incompleteSuffix } from './utf8.js';

const EMPTY = Buffer.alloc(0);
/** No chunks: shared by every buffer that holds none (never written; replaced on append). */
const NO_CHUNKS: readonly Uint8Array[] = [];

/**
 * The stored output of one stream. Bytes are kept as they arrive (one buffer per read from the
 * pipe, outside the JavaScript heap, so storing costs nothing per line and the garbage collector
 * never copies them) and decoded once, when the text is asked for: UTF-8, with every line break
 * (`\r\n`, lone `\r`) normalised to `\n`. Lines can be read back by index (for replay).
 */
/** A reader's place in the bytes: the line starting at `offset`, and a hint to its piece. */
interface ByteCursor {
  offset: number;
  line: number;
  chunks: readonly Uint8Array[];
  chunk: number;
  start: number;
}

/**
 * A reader's decoded window: the whole lines of one stored piece, decoded together (one decode
 * per read from the pipe rather than one per line). `pos` is where line `line` starts in `text`;
 * the bytes after the window start at `end`.
 */
interface LineWindow {
  text: string;
  pos: number;
  line: number;
  end: number;
}

export class OutputBuffer {
  #chunks: readonly Uint8Array[] = NO_CHUNKS;
  /** Bytes stored so far. */
  #bytes = 0;
  /** The decoded, normalised text (with its final break), cached until the next append. */
  #decoded: string | undefined = '';
  /** Bumped whenever `#decoded` is rebuilt, so readers know their positions are stale. */
  #generation = 0;
  /** Set by `seal()`, which drops the bytes. */
  #sealedMidLine: boolean | undefined;

  /** True when the stored bytes end inside a line (not right after a line break). */
  get endsMidLine(): boolean {
    if (this.#sealedMidLine !== undefined) return this.#sealedMidLine;
    const last = this.#chunks[this.#chunks.length - 1];
    if (last === undefined || last.length === 0) return false;
    const byte = last[last.length - 1];
    return byte !== 10 && byte !== 13;
  }

  /** How many bytes are stored. */
  get byteLength(): number {
    return this.#bytes;
  }

  /** Stores bytes as received. */
  append(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    if (this.#chunks === NO_CHUNKS) this.#chunks = [bytes];
    else (this.#chunks as Uint8Array[]).push(bytes);
    this.#bytes += bytes.length;
    this.#decoded = undefined;
  }

  /**
   * Removes and returns the bytes at the end that begin a character not complete yet (0 to 3):
   * what a decoder would still hold back when the limit stops storing.
   */
  takeUnfinishedChar(): Uint8Array {
    const last = this.#chunks[this.#chunks.length - 1];
    if (last === undefined) return EMPTY;
    const held = incompleteSuffix(last);
    if (held.length === 0) return held;
    (this.#chunks as Uint8Array[])[this.#chunks.length - 1] = last.subarray(0, last.length - held.length);
    this.#bytes -= held.length;
    this.#decoded = undefined;
    return held;
  }

  /** No more output will come: once decoded, only the text is kept (one copy in memory). */
  seal(): void {
    this.#sealedMidLine = this.endsMidLine;
    if (this.#decoded !== undefined) this.#chunks = NO_CHUNKS;
  }

  /** All lines joined with `\n`: the stored text without its final line break. */
  text(): string {
    const text = this.#text();
    return text.charCodeAt(text.length - 1) === 10 ? text.slice(0, -1) : text;
  }

  /**
   * A reader of stored lines by index, fast when reading forward. Each reader keeps its own
   * position. While output is still arriving (the text is not decoded), lines are read from the
   * bytes, decoding only the line asked for: a subscriber following a running execution never
   * makes the whole output be decoded again at every read from the pipe.
   */
  reader(): (index: number) => string {
    const at: ByteCursor & { generation: number; bytes: boolean } = {
      generation: -1,
      bytes: false,
      offset: 0,
      line: 0,
      chunks: NO_CHUNKS,
      chunk: 0,
      start: 0,
    };
    const window: LineWindow = { text: '', pos: 0, line: 0, end: 0 };
    return (index) => {
      if (this.#decoded === undefined && this.#chunks.length > 0) {
        if (!at.bytes || index < (window.text === '' ? at.line : window.line)) {
          Object.assign(at, { bytes: true, offset: 0, line: 0 });
          Object.assign(window, { text: '', pos: 0, line: 0, end: 0 });
        }
        return this.#windowLine(at, window, index);
      }
      const text = this.#text();
      if (at.bytes || at.generation !== this.#generation || index < at.line) {
        Object.assign(at, { bytes: false, generation: this.#generation, offset: 0, line: 0 });
      }
      while (at.line < index && at.offset < text.length) {
        const end = text.indexOf('\n', at.offset);
        at.offset = end === -1 ? text.length : end + 1;
        at.line++;
      }
      const end = text.indexOf('\n', at.offset);
      return text.slice(at.offset, end === -1 ? undefined : end);
    };
  }

  /**
   * Line `index` read from the bytes through `window`: from the window while it holds the line,
   * else from the next window; a line longer than its piece is read on its own.
   */
  #windowLine(at: ByteCursor, window: LineWindow, index: number): string {
    while (true) {
      const text = window.text;
      while (window.line < index && window.pos < text.length) {
        window.pos = text.indexOf('\n', window.pos) + 1;
        window.line++;
      }
      if (window.pos < text.length) return text.slice(window.pos, text.indexOf('\n', window.pos));
      // Past the window: the bytes go on at its end, with the line after its last.
      if (window.text !== '') Object.assign(at, { offset: window.end, line: window.line });
      Object.assign(window, { text: '', pos: 0, line: at.line, end: at.offset });
      if (!this.#nextWindow(at, window)) return this.#byteLine(at, index);
    }
  }

  /**
   * Decodes the whole lines of the piece holding byte `at.offset` into `window`. False when that
   * piece holds no line break after it (a long line) or its only break is a `\r` that may be the
   * first half of a `\r\n` still to come.
   */
  #nextWindow(at: ByteCursor, window: LineWindow): boolean {
    const from = at.offset;
    if (from >= this.#bytes) return false;
    this.#seek(at, from);
    const chunk = this.#chunks[at.chunk]!;
    const start = at.start;
    const offset = from - start;
    let last = Math.max(chunk.lastIndexOf(10), chunk.lastIndexOf(13));
    let end = start + last + 1;
    if (last >= offset && chunk[last] === 13) {
      const next = this.#byte(at, end);
      if (next === 10) end++;
      else if (next === undefined) {
        const before = chunk.subarray(offset, last);
        const previous = Math.max(before.lastIndexOf(10), before.lastIndexOf(13));
        last = previous === -1 ? -1 : offset + previous;
        end = start + last + 1;
      }
    }
    if (last < offset) return false;
    const buffer = Buffer.from(chunk.buffer, chunk.byteOffset + offset, last + 1 - offset);
    let text = isAscii(buffer) ? buffer.toString('latin1') : buffer.toString('utf8');
    if (text.includes('\r')) text = text.replace(/\r\n?/g, '\n');
    Object.assign(window, { text, pos: 0, line: at.line, end });
    return true;
  }

  /** Line `index` read from the bytes, moving `at` (a byte offset and its line) forward. */
  #byteLine(at: ByteCursor, index: number): string {
    while (at.line < index) {
      const { resume } = this.#lineEnd(at, at.offset);
      if (resume === at.offset) return '';
      at.offset = resume;
      at.line++;
    }
    return this.#decode(at, at.offset, this.#lineEnd(at, at.offset).end);
  }

  /** Where the line starting at byte `from` ends (its break excluded) and the next one starts. */
  #lineEnd(at: ByteCursor, from: number): { end: number; resume: number } {
    const chunks = this.#chunks;
    this.#seek(at, from);
    let start = at.start;
    for (let i = at.chunk; i < chunks.length; i++) {
      const chunk = chunks[i]!;
      const offset = Math.max(0, from - start);
      const lf = chunk.indexOf(10, offset);
      const cr = lf === -1 ? chunk.indexOf(13, offset) : chunk.subarray(offset, lf).indexOf(13);
      const hit = cr === -1 ? lf : lf === -1 ? cr : offset + cr;
      if (hit !== -1) {
        const end = start + hit;
        // `\r\n` is one break; the `\n` may begin the next piece.
        const crlf = chunk[hit] === 13 && this.#byte(at, end + 1) === 10;
        return { end, resume: end + (crlf ? 2 : 1) };
      }
      start += chunk.length;
    }
    return { end: this.#bytes, resume: this.#bytes };
  }

  /** Points `at` at the piece holding byte `offset` (kept from the last call when still valid). */
  #seek(at: ByteCursor, offset: number): void {
    const chunks = this.#chunks;
    if (at.chunks !== chunks || at.start > offset) Object.assign(at, { chunks, chunk: 0, start: 0 });
    while (at.chunk < chunks.length - 1 && at.start + chunks[at.chunk]!.length <= offset) {
      at.start += chunks[at.chunk]!.length;
      at.chunk++;
    }
  }

  #byte(at: ByteCursor, offset: number): number | undefined {
    if (offset >= this.#bytes) return undefined;
    this.#seek(at, offset);
    return this.#chunks[at.chunk]![offset - at.start];
  }

  /** Bytes `from` to `to` decoded as UTF-8. */
  #decode(at: ByteCursor, from: number, to: number): string {
    if (to <= from) return '';
    this.#seek(at, from);
    const chunk = this.#chunks[at.chunk]!;
    const offset = from - at.start;
    if (offset + (to - from) <= chunk.length) {
      return Buffer.from(chunk.buffer, chunk.byteOffset + offset, to - from).toString('utf8');
    }
    const parts: Uint8Array[] = [];
    for (let i = at.chunk, start = at.start; i < this.#chunks.length && start < to; i++) {
      const piece = this.#chunks[i]!;
      parts.push(piece.subarray(Math.max(0, from - start), Math.min(piece.length, to - start)));
      start += piece.length;
    }
    return Buffer.concat(parts).toString('utf8');
  }

  #text(): string {
    if (this.#decoded === undefined) {
      const chunks = this.#chunks;
      // Keep one buffer from now on rather than many small ones.
      const bytes = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
      this.#chunks = bytes.length === 0 ? NO_CHUNKS : [bytes];
      const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
      // ASCII (the common case) is copied as is; anything else is decoded as UTF-8.
      let text = isAscii(buffer) ? buffer.toString('latin1') : buffer.toString('utf8');
      if (text.includes('\r')) text = text.replace(/\r\n?/g, '\n');
      this.#decoded = text;
      this.#generation++;
      if (this.#sealedMidLine !== undefined) this.#chunks = NO_CHUNKS;
    }
    return this.#decoded;
  }
}
