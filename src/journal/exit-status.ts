import { type FileHandle, open } from 'node:fs/promises';
import { constants } from 'node:os';
import type { JournalExit } from './journal-types.js';

const SIGNAL_NAMES = new Map<number, string>(
  Object.entries(constants.signals).map(([name, number]) => [number, name]),
);

/**
 * Decodes a shell exit status as written by the wrapper. The shell reports death by signal N as
 * 128+N, which a command could also return with `exit 128+N`; like every shell we read any
 * status 128+N where N is a signal number of this platform as "killed by that signal" (so an
 * explicit `exit 130` is recorded as SIGINT). Anything else is an exit code.
 */
export function decodeExitStatus(status: number): Omit<JournalExit, 'completedAt'> {
  const signal = status > 128 ? SIGNAL_NAMES.get(status - 128) : undefined;
  return signal === undefined ? { exitCode: status, signal: null } : { exitCode: null, signal };
}

/** Parses the text of an exit file (a decimal status 0–255, then a newline); `undefined` if malformed. */
export function parseExitFile(text: string): Omit<JournalExit, 'completedAt'> | undefined {
  const match = /^(\d{1,3})\s*$/.exec(text);
  const status = match?.[1] === undefined ? Number.NaN : Number(match[1]);
  return status >= 0 && status <= 255 ? decodeExitStatus(status) : undefined;
}

/**
 * Reads an exit file written by the wrapper; `completedAt` is its modification time.
 * @returns `undefined` while it does not exist, or when it is malformed.
 */
export async function readExitFile(path: string): Promise<JournalExit | undefined> {
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const text = await handle.readFile('utf8');
    const info = await handle.stat();
    const exit = parseExitFile(text);
    return exit === undefined ? undefined : { ...exit, completedAt: info.mtime };
  } finally {
    await handle.close();
  }
}
