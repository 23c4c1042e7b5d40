import { statSync } from 'node:fs';
import { open, unlink } from 'node:fs/promises';

/** The most of an `EXECUTION_OUTPUT` file that is read; past it the file is cut (see {@link readOutputFile}). */
export const MAX_OUTPUT_FILE_BYTES = 1024 * 1024;

/** What an output name may be made of. */
const NAME = /^[A-Za-z0-9_.-]+$/;

/** No outputs: shared by every result whose process wrote none (frozen, so nobody can add to it). */
export const NO_OUTPUTS: Readonly<Record<string, string>> = Object.freeze({});

/**
 * Parses the text of an `EXECUTION_OUTPUT` file: `name=value` lines (the value is everything after
 * the first `=`), and `name<<DELIM` followed by the value's lines and a line that is exactly
 * `DELIM` (a multi-line value, its lines joined with `\n`). Names are `[A-Za-z0-9_.-]+`; a later
 * value replaces an earlier one. Empty lines, lines that are neither form, and a multi-line value
 * whose closing delimiter never comes are ignored. A trailing `\r` is dropped from each line.
 */
export function parseOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split('\n').map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line));
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const equals = line.indexOf('=');
    const heredoc = line.indexOf('<<');
    if (heredoc > 0 && (equals === -1 || heredoc < equals)) {
      const name = line.slice(0, heredoc);
      const delimiter = line.slice(heredoc + 2);
      const end = delimiter.length === 0 ? -1 : lines.indexOf(delimiter, i + 1);
      if (end === -1) return outputs; // unterminated: the rest is its value, which never ended
      if (NAME.test(name)) define(outputs, name, lines.slice(i + 1, end).join('\n'));
      i = end;
    } else if (equals > 0) {
      const name = line.slice(0, equals);
      if (NAME.test(name)) define(outputs, name, line.slice(equals + 1));
    }
  }
  return outputs;
}

/** Sets an own property (a name such as `__proto__` stays a plain key). */
function define(outputs: Record<string, string>, name: string, value: string): void {
  Object.defineProperty(outputs, name, { value, enumerable: true, writable: true, configurable: true });
}

/**
 * True when the process wrote an outputs file: one `stat` system call, done synchronously (about
 * a microsecond, with no trip through the thread pool), so the common case of an execution that
 * wrote none settles without waiting for anything.
 */
export function hasOutputFile(path: string): boolean {
  try {
    return statSync(path, { throwIfNoEntry: false }) !== undefined;
  } catch {
    return false;
  }
}

/**
 * Reads and parses an execution's `EXECUTION_OUTPUT` file, once its process has ended (a file
 * that does not exist means no outputs; see {@link hasOutputFile} for the cheap check first). At
 * most {@link MAX_OUTPUT_FILE_BYTES} are read: a larger file is cut there, at the last complete
 * line, so values past the limit (and a multi-line value it cuts) are left out. Never throws: an
 * unreadable file means no outputs. `remove` deletes the file after reading it.
 */
export async function readOutputFile(path: string, remove: boolean): Promise<Record<string, string>> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(path, 'r');
  } catch {
    return NO_OUTPUTS as Record<string, string>;
  }
  let text: string;
  try {
    const { size } = await handle.stat();
    const length = Math.min(size, MAX_OUTPUT_FILE_BYTES);
    const buffer = Buffer.alloc(length);
    const { bytesRead } = length === 0 ? { bytesRead: 0 } : await handle.read(buffer, 0, length, 0);
    text = buffer.subarray(0, bytesRead).toString('utf8');
    if (size > MAX_OUTPUT_FILE_BYTES) text = text.slice(0, text.lastIndexOf('\n') + 1);
  } catch {
    text = '';
  } finally {
    await handle.close().catch(() => {});
  }
  if (remove) await unlink(path).catch(() => {});
  const outputs = parseOutputs(text);
  return Object.keys(outputs).length === 0 ? (NO_OUTPUTS as Record<string, string>) : outputs;
}
