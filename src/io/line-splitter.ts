import { StringDecoder } from 'node:string_decoder';

const LF = 10; // '\n'

/**
 * Turns a stream of raw bytes from a pipe into lines of text.
 *
 * - Lines end at `\n`, `\r\n` or a lone `\r` (so progress bars stream live); the break is not
 *   part of the line. An empty line is a line: `"a\n\nb\n"` gives `a`, ``, `b`.
 * - A line split across chunks is joined, and a multi-byte UTF-8 character split across chunks
 *   is decoded intact. Invalid UTF-8 becomes U+FFFD; it never throws.
 * - A `\r` is a break at once: the line before it is emitted without waiting for the next
 *   chunk. If that next chunk starts with `\n`, the `\n` completes the same `\r\n` break and
 *   is swallowed.
 * - The last line is emitted by {@link LineSplitter.end} if it has no line break; input that
 *   ends with a break gives no extra empty line.
 *
 * The result never depends on how the bytes were cut into chunks. The callback is called
 * synchronously from `push()` and `end()`.
 *
 * @example
 * ```ts
 * const splitter = new LineSplitter((line) => console.log(line));
 * child.stdout.on('data', (chunk: Buffer) => splitter.push(chunk));
 * child.stdout.on('end', () => splitter.end());
 * ```
 */
export class LineSplitter {
  readonly #onLine: (line: string) => void;
  // Holds the bytes of a character that is not complete yet.
  readonly #decoder = new StringDecoder('utf8');
  // Decoded text of the current unterminated line. Grows (as a V8 rope, not by copying) only
  // while chunks arrive without a line break.
  #pending = '';
  // The last text seen ended with `\r`: a `\n` at the start of the next text belongs to it.
  #afterCr = false;
  // While `pushInto`/`endInto` run: where the lines go instead of the callback.
  #sink: string[] | undefined;

  /** @param onLine Called with each complete line, without its line break. */
  constructor(onLine: (line: string) => void) {
    this.#onLine = onLine;
  }

  /** Feed raw bytes as received from a pipe. */
  push(chunk: Uint8Array): void {
    this.#split(this.#decoder.write(chunk));
  }

  /**
   * Like {@link push}, but appends the chunk's complete lines to `lines` instead of calling the
   * callback: one array per chunk rather than one call per line, for consumers that take lines in
   * batches.
   */
  pushInto(chunk: Uint8Array, lines: string[]): void {
    this.#sink = lines;
    try {
      this.push(chunk);
    } finally {
      this.#sink = undefined;
    }
  }

  /** Like {@link end}, appending the last line (if any) to `lines`. */
  endInto(lines: string[]): void {
    this.#sink = lines;
    try {
      this.end();
    } finally {
      this.#sink = undefined;
    }
  }

  /** The decoded text of the current unterminated line (for live snapshots). */
  pending(): string {
    return this.#pending;
  }

  /**
   * End of stream: decode any held bytes and emit the last line if it is non-empty and
   * unterminated. The splitter is then empty and may be reused.
   */
  end(): void {
    this.#split(this.#decoder.end());
    this.#afterCr = false;
    const last = this.#pending;
    if (last.length > 0) {
      this.#pending = '';
      this.#emit(last);
    }
  }

  #split(text: string): void {
    const length = text.length;
    if (length === 0) return;
    let start = 0;
    if (this.#afterCr) {
      this.#afterCr = false;
      if (text.charCodeAt(0) === LF) start = 1;
    }
    // Next `\n` and next `\r` at or after `start`; each is searched again only once passed,
    // so a text without `\r` costs one failed search for it.
    let lf = text.indexOf('\n', start);
    let cr = text.indexOf('\r', start);
    while (lf !== -1 || cr !== -1) {
      let end: number;
      let next: number;
      if (cr === -1 || (lf !== -1 && lf < cr)) {
        end = lf;
        next = lf + 1;
      } else {
        end = cr;
        next = cr + 1;
        if (next === length) this.#afterCr = true;
        else if (text.charCodeAt(next) === LF) next++;
      }
      let line = text.slice(start, end);
      if (this.#pending.length > 0) {
        line = this.#pending + line;
        this.#pending = '';
      }
      start = next;
      if (lf !== -1 && lf < start) lf = text.indexOf('\n', start);
      if (cr !== -1 && cr < start) cr = text.indexOf('\r', start);
      this.#emit(line);
    }
    if (start < length) this.#pending += start === 0 ? text : text.slice(start);
  }

  #emit(line: string): void {
    const sink = this.#sink;
    if (sink === undefined) this.#onLine(line);
    else sink.push(line);
  }
}
