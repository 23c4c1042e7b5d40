import { mkdtempSync, readdirSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import type { ExecutionConfig, ExecutionEngine, ExecutionEvent } from '../../src/index.js';
import { createEngine } from './engine.js';

const engines = new Set<ExecutionEngine>();
const dirs = new Set<string>();

/**
 * {@link createEngine}, plus cleanup of what output tests leave on disk: after each test the
 * engine is shut down, then the overflow files of its retained executions are deleted.
 */
export function outputEngine(config: Partial<ExecutionConfig> = {}): ExecutionEngine {
  const engine = createEngine(config);
  engines.add(engine);
  return engine;
}

/** A fresh directory in os.tmpdir(), removed (with its content) after the test. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'execution-engine-test-'));
  dirs.add(dir);
  return dir;
}

afterEach(async () => {
  const all = [...engines];
  engines.clear();
  await Promise.all(all.map((engine) => engine.shutdown({ graceMs: 0 })));
  for (const engine of all) {
    for (const snapshot of engine.list()) {
      for (const file of [snapshot.stdoutOverflowFile, snapshot.stderrOverflowFile]) {
        if (file !== undefined) rmSync(file, { force: true });
      }
    }
  }
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  dirs.clear();
});

/** What `print-lines.js <n> _ [width]` writes to each stream: `line 1\n` ... `line <n>\n`. */
export function printedText(count: number, width = 0, from = 1): string {
  const lines: string[] = [];
  for (let i = from; i < from + count; i++) lines.push(`line ${i}`.padEnd(width, '.'));
  return `${lines.join('\n')}\n`;
}

/** Lines of a text as the engine splits them: on `\n`, with no extra empty line after a final break. */
export function linesOf(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

/**
 * How the first `bytes` bytes of an ASCII, `\n`-separated text are stored: its lines joined with
 * `\n`, so a break right at the end leaves no trace.
 */
export function storedPrefix(text: string, bytes: number): string {
  const kept = text.slice(0, bytes);
  return kept.endsWith('\n') ? kept.slice(0, -1) : kept;
}

/**
 * True when an ASCII, `\n`-separated `expected` text is exactly the in-memory part followed by
 * the overflow file. The memory part is lines joined with `\n`: when the cut fell right after a
 * line break, that break is not in it, and the file starts with the next line.
 */
export function rejoins(memory: string, file: string, expected: string): boolean {
  return memory + file === expected || `${memory}\n${file}` === expected;
}

/** {@link rejoins} for bytes: the in-memory part (UTF-8) followed by the overflow file is `expected`. */
export function rejoinsBytes(memory: string, file: Uint8Array, expected: Uint8Array): boolean {
  const head = Buffer.from(memory);
  const newline = Buffer.from('\n');
  return (
    Buffer.concat([head, file]).equals(expected) || Buffer.concat([head, newline, file]).equals(expected)
  );
}

/** The bytes `large-output.js <bytes>` writes to each stream (xorshift32 from the same seed). */
export function largeOutput(bytes: number): Buffer {
  const out = Buffer.allocUnsafe(bytes);
  let state = 0x9e3779b9;
  for (let i = 0; i < bytes; i++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    out[i] = state & 0xff;
  }
  return out;
}

/** `write-chunks.js` arguments for writing `text` (UTF-8) or raw bytes to a stream as one chunk. */
export function chunk(stream: 'out' | 'err', data: string | readonly number[]): string {
  const bytes = typeof data === 'string' ? Buffer.from(data) : Buffer.from(data);
  return `${stream}:${bytes.toString('hex')}`;
}

/** True when this process has a file descriptor open on `path` (Linux: /proc/self/fd). */
export function isOpenHere(path: string): boolean {
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      if (readlinkSync(`/proc/self/fd/${fd}`) === path) return true;
    } catch {
      // closed while listing
    }
  }
  return false;
}

/** Every event the engine emits, in order, per execution id. */
export function recordEvents(engine: ExecutionEngine): Map<string, ExecutionEvent[]> {
  const byId = new Map<string, ExecutionEvent[]>();
  engine.on('event', (event) => {
    let list = byId.get(event.executionId);
    if (list === undefined) {
      list = [];
      byId.set(event.executionId, list);
    }
    list.push(event);
  });
  return byId;
}

/** A compact, comparable form of an event: `seq type [line]`. */
export function describeEvent(event: ExecutionEvent): string {
  return event.type === 'stdout' || event.type === 'stderr'
    ? `${event.seq} ${event.type} ${event.line}`
    : `${event.seq} ${event.type}`;
}

/** Collects every event of a subscription. */
export async function drain(events: AsyncIterable<ExecutionEvent>): Promise<ExecutionEvent[]> {
  const list: ExecutionEvent[] = [];
  for await (const event of events) list.push(event);
  return list;
}

/** Index of the first element where two arrays differ, or -1 when they are equal. */
export function firstDifference<T>(a: readonly T[], b: readonly T[]): number {
  const length = Math.max(a.length, b.length);
  for (let i = 0; i < length; i++) if (a[i] !== b[i]) return i;
  return -1;
}
