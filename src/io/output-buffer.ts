import { isAscii } from 'node:buffer';
import { ByteLines } from './byte-lines.js';
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

  /** The stored pieces, in order (none once sealed and decoded). */
  get chunks(): readonly Uint8Array[] {
    return this.#chunks;
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
    const at = { generation: -1, offset: 0, line: 0 };
    let bytes: ByteLines | undefined;
    return (index) => {
      if (this.#decoded === undefined && this.#chunks.length > 0) {
        at.generation = -1;
        bytes ??= new ByteLines(this);
        return bytes.line(index);
      }
      bytes = undefined;
      const text = this.#text();
      if (at.generation !== this.#generation || index < at.line) {
        Object.assign(at, { generation: this.#generation, offset: 0, line: 0 });
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
