/** What a JSON-lines reader reports: each line's text, or a line over the limit (its bytes dropped). */
export interface LineSink {
  line(text: string): void;
  tooLong(bytes: number): void;
}

/**
 * Splits bytes into lines of at most `maxBytes` without ever holding more: a longer line is
 * dropped as it arrives (never buffered whole) and reported once its end is seen.
 */
export class BoundedLines {
  readonly #maxBytes: number;
  readonly #sink: LineSink;
  #parts: Uint8Array[] = [];
  #held = 0;
  /** Bytes of the line being dropped, or -1 while reading a line within the limit. */
  #dropped = -1;

  constructor(maxBytes: number, sink: LineSink) {
    this.#maxBytes = maxBytes;
    this.#sink = sink;
  }

  push(chunk: Uint8Array): void {
    let start = 0;
    while (start < chunk.length) {
      const end = chunk.indexOf(10, start);
      const stop = end === -1 ? chunk.length : end;
      this.#take(chunk.subarray(start, stop));
      if (end === -1) return;
      this.#endLine();
      start = end + 1;
    }
  }

  #take(part: Uint8Array): void {
    if (part.length === 0) return;
    if (this.#dropped >= 0) {
      this.#dropped += part.length;
      return;
    }
    if (this.#held + part.length > this.#maxBytes) {
      this.#dropped = this.#held + part.length;
      this.#parts = [];
      this.#held = 0;
      return;
    }
    this.#parts.push(part.slice()); // a copy: the chunk's buffer may be reused
    this.#held += part.length;
  }

  #endLine(): void {
    if (this.#dropped >= 0) {
      const bytes = this.#dropped;
      this.#dropped = -1;
      this.#sink.tooLong(bytes);
      return;
    }
    const parts = this.#parts;
    this.#parts = [];
    this.#held = 0;
    const text = parts.length === 1 ? decoder.decode(parts[0]) : decoder.decode(concat(parts));
    if (text.trim() !== '') this.#sink.line(text);
  }
}

const decoder = new TextDecoder();

function concat(parts: Uint8Array[]): Uint8Array {
  let length = 0;
  for (const part of parts) length += part.length;
  const all = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    all.set(part, offset);
    offset += part.length;
  }
  return all;
}
