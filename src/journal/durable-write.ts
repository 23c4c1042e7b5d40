import { randomBytes } from 'node:crypto';
import { open, rename, unlink } from 'node:fs/promises';

/** Journal files hold environments, input and output: readable by their owner only. */
export const PRIVATE_FILE_MODE = 0o600;

import { dirname } from 'node:path';

/**
 * Flushes a directory's entries (new, renamed and removed names) to disk. Where directories
 * cannot be opened or synced (Windows, some network file systems) this quietly does nothing.
 */
export async function fsyncDir(dir: string): Promise<void> {
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch {
    // Best effort: durability of the name is then up to the file system.
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

/** A unique temporary name beside `path`, ending in `.tmp`. */
export function tempPathFor(path: string): string {
  return `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
}

/**
 * Writes `data` to `path` (created or truncated) with mode 0600, also when the file existed with
 * a wider mode. Not flushed to disk: for files whose loss a crash makes harmless (logs, input).
 */
export async function writePrivateFile(path: string, data: string | Uint8Array): Promise<void> {
  const handle = await open(path, 'w', PRIVATE_FILE_MODE);
  try {
    await handle.chmod(PRIVATE_FILE_MODE);
    await handle.writeFile(data);
  } finally {
    await handle.close();
  }
}

/** Writes `data` to a new file at `path` (mode 0600) and flushes it to disk. Fails if `exclusive` and it exists. */
export async function writeAndSync(
  path: string,
  data: string | Uint8Array,
  exclusive = false,
): Promise<void> {
  const handle = await open(path, exclusive ? 'wx' : 'w', PRIVATE_FILE_MODE);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Replaces `path` with `data` so that a reader, or a crash at any moment, sees either the old
 * content or the new one, never a mix: write a temporary file, fsync it, rename it over
 * `path`, then fsync the directory so the rename itself is durable.
 */
export async function writeFileDurable(path: string, data: string | Uint8Array): Promise<void> {
  const temp = tempPathFor(path);
  try {
    await writeAndSync(temp, data);
    await rename(temp, path);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  await fsyncDir(dirname(path));
}
