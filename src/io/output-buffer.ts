/** Lines kept before they are joined into one stored batch. */
const BATCH_LINES = 100;
/** Characters kept before they are joined into one stored batch. */
const BATCH_CHARS = 64 * 1024;

/**
 * The stored output of one stream. Lines are appended one by one but stored in batches (one
 * string per 100 lines or 64 KB), so a million short lines cost memory of the order of the
 * output, not of a million strings, and nothing is concatenated per line. Stored lines can be
 * read back by index (for replay) without copying the whole output.
 */
export class OutputBuffer {
  /** Flushed batches: each is its lines joined with `\n`. */
  #batches: string[] = [];
  /** Index of the first line of each batch. */
  #batchStarts: number[] = [];
  #pending: string[] = [];
  #pendingChars = 0;
  #flushedLines = 0;
  /** The joined text, cached until the next append. */
  #text: string | undefined = '';
  /** Bumped when batches are merged, so readers know their positions are stale. */
  #generation = 0;

  /** Number of lines stored. */
  get lineCount(): number {
    return this.#flushedLines + this.#pending.length;
  }

  /** Stores one line (without its line break). */
  append(line: string): void {
    this.#pending.push(line);
    this.#text = undefined;
    this.#pendingChars += line.length + 1;
    if (this.#pending.length >= BATCH_LINES || this.#pendingChars >= BATCH_CHARS) this.flush();
  }

  /** Moves pending lines into a stored batch. */
  flush(): void {
    if (this.#pending.length === 0) return;
    this.#batchStarts.push(this.#flushedLines);
    this.#batches.push(this.#pending.join('\n'));
    this.#flushedLines += this.#pending.length;
    this.#pending = [];
    this.#pendingChars = 0;
  }

  /** All lines joined with `\n`, then `partial` (an unterminated line) when given. */
  text(partial = ''): string {
    if (this.#text === undefined) {
      this.flush();
      if (this.#batches.length > 1) {
        // Keep one copy: the joined text becomes the only batch.
        const joined = this.#batches.join('\n');
        this.#batches.length = 0;
        this.#batches.push(joined);
        this.#batchStarts.length = 1;
        this.#generation++;
      }
      this.#text = this.#batches[0] ?? '';
    }
    if (partial === '') return this.#text;
    return this.lineCount === 0 ? partial : `${this.#text}\n${partial}`;
  }

  /** A reader of stored lines by index, fast when reading forward. Each reader keeps its own position. */
  reader(): (index: number) => string {
    const cursor = { generation: -1, batch: 0, line: 0, offset: 0 };
    return (index) => {
      if (index >= this.#flushedLines) return this.#pending[index - this.#flushedLines] ?? '';
      if (
        cursor.generation !== this.#generation ||
        index < cursor.line ||
        !this.#inBatch(cursor.batch, index)
      ) {
        cursor.generation = this.#generation;
        cursor.batch = this.#findBatch(index);
        cursor.line = this.#batchStarts[cursor.batch]!;
        cursor.offset = 0;
      }
      const batch = this.#batches[cursor.batch]!;
      while (cursor.line < index) {
        cursor.offset = batch.indexOf('\n', cursor.offset) + 1;
        cursor.line++;
      }
      const end = batch.indexOf('\n', cursor.offset);
      return batch.slice(cursor.offset, end === -1 ? undefined : end);
    };
  }

  #inBatch(batch: number, index: number): boolean {
    if (batch >= this.#batches.length) return false;
    const next = this.#batchStarts[batch + 1] ?? this.#flushedLines;
    return index >= this.#batchStarts[batch]! && index < next;
  }

  #findBatch(index: number): number {
    let low = 0;
    let high = this.#batchStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.#batchStarts[mid]! <= index) low = mid;
      else high = mid - 1;
    }
    return low;
  }
}
