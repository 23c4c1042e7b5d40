/** The lines of this many recent reads are kept. */
const RECENT_READS = 32;

/** The lines of one read as the splitter made them, with the `seq` of the first and their buffer code. */
interface RecentRead {
  seq: number;
  code: number;
  lines: string[];
}

/**
 * The lines of an execution's latest reads, as split, kept while someone subscribes: a subscriber
 * that keeps up takes them as they are instead of decoding the stored bytes again. At most
 * {@link RECENT_READS} reads; the oldest goes first.
 */
export class RecentReads {
  #reads: RecentRead[] = [];

  /** Keeps the lines of one read of buffer `code`, the first with `seq`. */
  keep(seq: number, code: number, lines: string[]): void {
    if (this.#reads.length >= RECENT_READS) this.#reads.shift();
    this.#reads.push({ seq, code, lines });
  }

  /** Line `seq` as split, when a kept read holds it. */
  line(seq: number): string | undefined {
    const read = this.#holding(seq);
    return read?.lines[seq - read.seq];
  }

  /**
   * The lines of the kept read of buffer `code` that starts at `seq`, when there is one and it ends
   * by `until`.
   */
  read(seq: number, code: number, until: number): string[] | undefined {
    const read = this.#holding(seq);
    if (read === undefined || read.seq !== seq || read.code !== code) return undefined;
    return read.seq + read.lines.length - 1 <= until ? read.lines : undefined;
  }

  /** The kept read holding `seq`, searched from the newest (a subscriber that keeps up asks for those). */
  #holding(seq: number): RecentRead | undefined {
    const reads = this.#reads;
    // Older than every kept read (a subscriber far behind): no search at all.
    if (reads.length === 0 || seq < reads[0]!.seq) return undefined;
    for (let i = reads.length - 1; i >= 0; i--) {
      const read = reads[i]!;
      if (read.seq <= seq) return seq < read.seq + read.lines.length ? read : undefined;
    }
    return undefined;
  }
}
