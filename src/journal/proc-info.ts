import { readdir, readFile } from 'node:fs/promises';
import { isLive, type ProcessStat, parseProcStat } from '../utils/proc-stat.js';

/**
 * Process identity on Linux, read from `/proc`. Elsewhere every reader resolves `undefined`
 * (never throws), so callers degrade to "cannot prove it is the same process".
 */

const BOOT_ID_FILE = '/proc/sys/kernel/random/boot_id';

/**
 * The kernel's boot id (a UUID that changes on every boot), or `undefined` where
 * `/proc/sys/kernel/random/boot_id` does not exist (not Linux, or a locked-down container).
 */
export async function readBootId(): Promise<string | undefined> {
  try {
    const id = (await readFile(BOOT_ID_FILE, 'utf8')).trim();
    return id.length > 0 ? id : undefined;
  } catch {
    return undefined;
  }
}

/** `/proc/<pid>/stat` parsed, or `undefined` when the process does not exist or `/proc` is unavailable. */
export async function readProcessStat(pid: number): Promise<ProcessStat | undefined> {
  if (!Number.isSafeInteger(pid) || pid <= 0) return undefined;
  try {
    return parseProcStat(await readFile(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return undefined;
  }
}

/**
 * The start time of `pid` (field 22 of `/proc/<pid>/stat`, clock ticks since boot, as a decimal
 * string). Together with the boot id it identifies a process even after its pid is reused.
 * `undefined` when the process does not exist or this is not Linux.
 */
export async function readProcessStartTime(pid: number): Promise<string | undefined> {
  return (await readProcessStat(pid))?.startTime;
}

/**
 * True when a process with this pid exists (signal 0 is deliverable, or is refused with `EPERM`
 * because it belongs to another user). A zombie counts as existing.
 */
export function isProcessAlive(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * True only when `pid` is running (not a zombie) and started at `startTime`, i.e. it is the very
 * process that was recorded and not a later one that reused its pid. Without a recorded start
 * time, or where `/proc` is unavailable, identity cannot be proved and this resolves `false`.
 */
export async function isSameProcess(pid: number, startTime: string | undefined): Promise<boolean> {
  if (startTime === undefined) return false;
  const stat = await readProcessStat(pid);
  return stat !== undefined && stat.startTime === startTime && isLive(stat);
}

/**
 * Finds a live process whose command line contains `argument` exactly (Linux `/proc`), with its
 * start time. Used to find a journaled wrapper by its exit-file path when its host died before
 * recording its pid. `undefined` when there is none, or where `/proc` is unavailable.
 */
export async function findProcessByArgument(
  argument: string,
): Promise<{ pid: number; startTime: string } | undefined> {
  const entries = await readdir('/proc').catch(() => [] as string[]);
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const cmdline = await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '');
    if (!cmdline.split('\0').includes(argument)) continue;
    const stat = await readProcessStat(Number(entry));
    if (stat !== undefined && isLive(stat)) return { pid: Number(entry), startTime: stat.startTime };
  }
  return undefined;
}
