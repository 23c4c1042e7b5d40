/** Lines kept before they are joined into one stored batch. */
const BATCH_LINES = 100;
/** Characters kept before they are joined into one stored batch. */
const BATCH_CHARS = 64 * 1024;

/**
 * The stored output of one stream. Lines are appended one by one but stored in batches (one
 * string per 100 lines or 64 KB), so a million short lines cost memory of the order of the
 * output, not of a million strings, and nothing is concatenated per line.
 */
export class OutputBuffer {
  /** Flushed batches: each is its lines joined with `\n`. */
  #batches: string[] = [];
  #pending: string[] = [];
  #pendingChars = 0;
  #lines = 0;

  /** Number of lines stored. */
  get lineCount(): number {
    return this.#lines;
  }

  /** Stores one line (without its line break). */
  append(line: string): void {
    this.#pending.push(line);
    this.#lines++;
    this.#pendingChars += line.length + 1;
    if (this.#pending.length >= BATCH_LINES || this.#pendingChars >= BATCH_CHARS) this.flush();
  }

  /** Moves pending lines into a stored batch. */
  flush(): void {
    if (this.#pending.length === 0) return;
    this.#batches.push(this.#pending.join('\n'));
    this.#pending = [];
    this.#pendingChars = 0;
  }

  /** All lines so far joined with `\n`, plus `partial` (an unterminated line) when given. */
  text(partial = ''): string {
    this.flush();
    if (this.#batches.length > 1) this.#batches = [this.#batches.join('\n')];
    const stored = this.#batches[0] ?? '';
    if (partial === '') return stored;
    return this.#lines === 0 ? partial : `${stored}\n${partial}`;
  }

  /** The stored lines from index `from` on (for replay). */
  linesFrom(from: number): string[] {
    const all = this.#lines === 0 ? [] : this.text().split('\n');
    return from === 0 ? all : all.slice(from);
  }
}
