import { join } from 'node:path';
import { LOCK_FILE_NAME } from '../journal/journal-files.js';
import { isHeld, readLockFile } from '../journal/lock-file.js';
import type { JournalOwner } from './inspect-types.js';

/**
 * The owner named in `<dir>/journal.lock`, read without touching the lock: `alive` when that very
 * process still runs (same boot id and process start time where `/proc` tells them). `null` when
 * there is no lock file, or it names no pid (being written, or not a lock).
 */
export async function readJournalOwner(
  dir: string,
  bootId: string | undefined,
): Promise<JournalOwner | null> {
  const lock = await readLockFile(join(dir, LOCK_FILE_NAME)).catch(() => undefined);
  if (lock?.owner === undefined) return null;
  return { pid: lock.owner.pid, alive: await isHeld(lock, bootId) };
}
