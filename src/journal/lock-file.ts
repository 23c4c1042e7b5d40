import { readFile, stat } from 'node:fs/promises';
import type { JournalLockOwner } from './journal-errors.js';
import { isProcessAlive, isSameProcess } from './proc-info.js';

/** An unparseable lock or takeover file younger than this may still be being written: respect it. */
const UNPARSEABLE_GRACE_MS = 2000;

/** A lock (or takeover) file as read: its exact text, the owner it names, its age. */
export interface LockFile {
  text: string;
  owner: JournalLockOwner | undefined;
  mtimeMs: number;
}

const errorCode = (error: unknown) => (error as NodeJS.ErrnoException).code;

/** Reads a lock (or takeover) file; `undefined` when it does not exist. */
export async function readLockFile(path: string): Promise<LockFile | undefined> {
  try {
    const [text, info] = await Promise.all([readFile(path, 'utf8'), stat(path)]);
    let owner: JournalLockOwner | undefined;
    try {
      const value = JSON.parse(text) as Partial<JournalLockOwner>;
      if (Number.isSafeInteger(value.pid)) owner = value as JournalLockOwner;
    } catch {
      owner = undefined;
    }
    return { text, owner, mtimeMs: info.mtimeMs };
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * True while the owner written in `file` is alive: same boot, and its pid still runs with the
 * recorded start time (or, where `/proc` is unavailable, its pid merely exists).
 */
export async function isHeld(file: LockFile, bootId: string | undefined): Promise<boolean> {
  const { owner } = file;
  if (owner === undefined) return Date.now() - file.mtimeMs < UNPARSEABLE_GRACE_MS;
  if (owner.bootId !== undefined && bootId !== undefined && owner.bootId !== bootId) return false;
  if (owner.procStartTime !== undefined && bootId !== undefined) {
    return isSameProcess(owner.pid, owner.procStartTime);
  }
  return isProcessAlive(owner.pid);
}
