import { isAscii } from 'node:buffer';

/** What {@link ByteLines} reads: an output's stored pieces while it is still arriving. */
export interface StoredBytes {
  readonly chunks: readonly Uint8Array[];
  readonly byteLength: number;
}

const NO_CHUNKS: readonly Uint8Array[] = [];

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

/**
 * Lines read by index straight from stored bytes (UTF-8; `\r\n` and a lone `\r` are breaks), fast
 * when reading forward: the whole lines of each piece are decoded at once, a line longer than its
 * piece on its own. A `\r` that ends the stored bytes is not taken as a whole break until the next
 * byte says whether a `\n` follows.
 */
export class ByteLines {
  readonly #source: StoredBytes;
  readonly #at: ByteCursor = { offset: 0, line: 0, chunks: NO_CHUNKS, chunk: 0, start: 0 };
  readonly #window: LineWindow = { text: '', pos: 0, line: 0, end: 0 };

  constructor(source: StoredBytes) {
    this.#source = source;
  }

  /** Line `index` (an empty string past the end). Reading an earlier line starts over. */
  line(index: number): string {
    const window = this.#window;
    if (index < (window.text === '' ? this.#at.line : window.line)) {
      Object.assign(this.#at, { offset: 0, line: 0 });
      Object.assign(window, { text: '', pos: 0, line: 0, end: 0 });
    }
    return this.#windowLine(index);
  }

  /**
   * Line `index` read from the bytes through `window`: from the window while it holds the line,
   * else from the next window; a line longer than its piece is read on its own.
   */
  #windowLine(index: number): string {
    const at = this.#at;
    const window = this.#window;
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
    if (from >= this.#source.byteLength) return false;
    this.#seek(at, from);
    const chunk = this.#source.chunks[at.chunk]!;
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
    const chunks = this.#source.chunks;
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
    return { end: this.#source.byteLength, resume: this.#source.byteLength };
  }

  /** Points `at` at the piece holding byte `offset` (kept from the last call when still valid). */
  #seek(at: ByteCursor, offset: number): void {
    const chunks = this.#source.chunks;
    if (at.chunks !== chunks || at.start > offset) Object.assign(at, { chunks, chunk: 0, start: 0 });
    while (at.chunk < chunks.length - 1 && at.start + chunks[at.chunk]!.length <= offset) {
      at.start += chunks[at.chunk]!.length;
      at.chunk++;
    }
  }

  #byte(at: ByteCursor, offset: number): number | undefined {
    if (offset >= this.#source.byteLength) return undefined;
    this.#seek(at, offset);
    return this.#source.chunks[at.chunk]![offset - at.start];
  }

  /** Bytes `from` to `to` decoded as UTF-8. */
  #decode(at: ByteCursor, from: number, to: number): string {
    if (to <= from) return '';
    this.#seek(at, from);
    const chunk = this.#source.chunks[at.chunk]!;
    const offset = from - at.start;
    if (offset + (to - from) <= chunk.length) {
      return Buffer.from(chunk.buffer, chunk.byteOffset + offset, to - from).toString('utf8');
    }
    const parts: Uint8Array[] = [];
    for (let i = at.chunk, start = at.start; i < this.#source.chunks.length && start < to; i++) {
      const piece = this.#source.chunks[i]!;
      parts.push(piece.subarray(Math.max(0, from - start), Math.min(piece.length, to - start)));
      start += piece.length;
    }
    return Buffer.concat(parts).toString('utf8');
  }
}
