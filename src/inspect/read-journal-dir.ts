import { closeSync, type Dirent, fstatSync, openSync, readdirSync, readFileSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { isValidExecutionId } from '../arguments/id-pattern.js';
import { LOCK_FILE_NAME, RECORD_SUFFIX } from '../journal/journal-files.js';
import type { JournalRecord, UnreadableRecord } from '../journal/journal-types.js';
import { decodeRecord } from '../journal/record-codec.js';

/** Record files read between two turns of the event loop: reading stays fast, the loop responsive. */
const BATCH = 256;

/** The files beside records that belong to a journal (per-id files, the lock, temporary files). */
const COMPANION = [
  /\.(?:stdout|stderr)\.log$/,
  /\.exit(?:\.tmp)?$/,
  /\.input$/,
  /\.(?:json|lock|takeover)\.\d+\.[0-9a-f]{8}\.tmp$/,
];
const LOCK_FILES = new Set([LOCK_FILE_NAME, `${LOCK_FILE_NAME}.takeover`]);
/** One buffer for every record that fits (nearly all): reading allocates nothing per file. */
const SHARED_BYTES = 64 * 1024;
let shared: Buffer | undefined;

/** Directories a journal keeps (`schedules/`, `pipelines/`). */
const DIRECTORIES = new Set(['schedules', 'pipelines']);

/** A record as read, with its file's modification time. */
export interface ReadRecord {
  record: JournalRecord;
  mtimeMs: number;
}

/** What {@link readJournalDir} found. */
export interface JournalDirContents {
  records: ReadRecord[];
  unreadable: UnreadableRecord[];
}

/**
 * Reads every record of a journal directory without writing anything or taking its lock. Records
 * are replaced atomically, so a file is always a whole record; one that is empty, torn (written
 * by something else) or garbage, and any file that is no journal file, is listed in `unreadable`
 * with the reason. A record deleted meanwhile is skipped.
 * @throws the `readdir` error when the directory cannot be listed.
 */
export async function readJournalDir(dir: string): Promise<JournalDirContents> {
  const entries = readdirSync(dir, { withFileTypes: true });
  const records: ReadRecord[] = [];
  const unreadable: UnreadableRecord[] = [];
  let read = 0;
  for (const entry of entries) {
    const { name } = entry;
    const file = join(dir, name);
    if (!name.endsWith(RECORD_SUFFIX) || entry.isDirectory()) {
      if (!isJournalFile(entry)) unreadable.push({ file, reason: 'not a journal file' });
      continue;
    }
    const id = name.slice(0, -RECORD_SUFFIX.length);
    if (!isValidExecutionId(id)) {
      unreadable.push({ file, reason: 'file name is not an execution id' });
      continue;
    }
    if (++read % BATCH === 0) await yieldToLoop();
    const found = readRecordFile(file, id);
    if (found === undefined) continue;
    if ('reason' in found) unreadable.push({ id, file, reason: found.reason });
    else records.push(found);
  }
  records.sort((a, b) => {
    const [x, y] = [a.record, b.record];
    return x.createdAt < y.createdAt ? -1 : x.createdAt > y.createdAt ? 1 : x.id < y.id ? -1 : 1;
  });
  unreadable.sort((a, b) => (a.file < b.file ? -1 : 1));
  return { records, unreadable };
}

function isJournalFile(entry: Dirent): boolean {
  if (entry.isDirectory()) return DIRECTORIES.has(entry.name);
  return LOCK_FILES.has(entry.name) || COMPANION.some((pattern) => pattern.test(entry.name));
}

/** One record file: the record and its mtime, the reason it is unreadable, or `undefined` if gone. */
function readRecordFile(file: string, id: string): ReadRecord | { reason: string } | undefined {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    return code === 'ENOENT' ? undefined : { reason: `cannot read: ${code ?? message}` };
  }
  try {
    const { mtimeMs, size } = fstatSync(fd);
    const result = decodeRecord(readText(fd, size), id);
    return 'record' in result ? { record: result.record, mtimeMs } : result;
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    return { reason: `cannot read: ${code ?? message}` };
  } finally {
    closeSync(fd);
  }
}

/** The text of an open file of `size` bytes (a record is replaced whole, never grows in place). */
function readText(fd: number, size: number): string {
  if (size >= SHARED_BYTES) return readFileSync(fd, 'utf8');
  shared ??= Buffer.allocUnsafe(SHARED_BYTES);
  const read = readSync(fd, shared, 0, SHARED_BYTES, 0);
  // Grown since fstat (not a journal record write, which replaces the file): read it whole.
  return read >= SHARED_BYTES ? readFileSync(fd, 'utf8') : shared.toString('utf8', 0, read);
}
