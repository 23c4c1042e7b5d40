import { spawn } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';

const isWindows = process.platform === 'win32';
const isLinux = process.platform === 'linux';

/**
 * Sends `signal` to every process of the group led by `pgid` (the whole tree on Windows, via
 * `taskkill /T /F`). Returns false when no process of the group is left to receive it.
 */
export function signalGroup(pgid: number, signal: NodeJS.Signals): boolean {
  if (isWindows) {
    spawn('taskkill', ['/pid', String(pgid), '/T', '/F'], { stdio: 'ignore', windowsHide: true }).on(
      'error',
      () => {},
    );
    return true;
  }
  try {
    process.kill(-pgid, signal);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
    // EPERM: a member changed its credentials; fall back to the leader alone.
    try {
      process.kill(pgid, signal);
      return true;
    } catch {
      return false;
    }
  }
}

/** True while the group has a process that is not a zombie. */
export async function isGroupAlive(pgid: number): Promise<boolean> {
  if (isWindows) {
    try {
      process.kill(pgid, 0);
      return true;
    } catch {
      return false;
    }
  }
  try {
    process.kill(-pgid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  // Orphaned members that died are zombies until their new parent reaps them; some init
  // processes (containers) never do. They can no longer run, so they do not count.
  return isLinux ? ((await liveGroups())?.has(pgid) ?? true) : true;
}

/** One scan of `/proc` serves every group being waited for at about the same time. */
let scan: Promise<Set<number> | undefined> | undefined;

/** Process groups that have a live (not zombie) member, from one pass over `/proc`; `undefined` if unreadable. */
function liveGroups(): Promise<Set<number> | undefined> {
  scan ??= scanProc().finally(() => {
    setTimeout(() => {
      scan = undefined;
    }, 2).unref();
  });
  return scan;
}

async function scanProc(): Promise<Set<number> | undefined> {
  const groups = new Set<number>();
  let entries: string[];
  try {
    entries = await readdir('/proc');
  } catch {
    return undefined;
  }
  await Promise.all(
    entries.map(async (entry) => {
      const first = entry.charCodeAt(0);
      if (first < 48 || first > 57) return;
      const stat = await readFile(`/proc/${entry}/stat`, 'latin1').catch(() => '');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ', 3);
      // After the command: state, ppid, pgrp.
      if (fields[2] !== undefined && fields[0] !== 'Z' && fields[0] !== 'X') groups.add(Number(fields[2]));
    }),
  );
  return groups;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls until the group is gone or `deadline` (ms epoch) passes; true when gone. */
export async function waitGroupGone(pgid: number, deadline: number): Promise<boolean> {
  let delay = 2;
  while (await isGroupAlive(pgid)) {
    const left = deadline - Date.now();
    if (left <= 0) return false;
    await sleep(Math.min(delay, left));
    delay = Math.min(delay * 2, 50);
  }
  return true;
}

/** How long to wait for the kernel to tear down a SIGKILLed group before giving up. */
const SIGKILL_SETTLE_MS = 10_000;

/**
 * Terminates a whole process group: `signal`, then SIGKILL after `graceMs` if any process of the
 * group is still alive. Resolves once no process of the group is left (or the kernel did not
 * tear it down within 10 s of SIGKILL, e.g. a process stuck in uninterruptible I/O).
 */
export async function terminateGroup(pgid: number, signal: NodeJS.Signals, graceMs: number): Promise<void> {
  if (!signalGroup(pgid, signal) && !isWindows) return;
  if (signal !== 'SIGKILL' && (await waitGroupGone(pgid, Date.now() + graceMs))) return;
  signalGroup(pgid, 'SIGKILL');
  await waitGroupGone(pgid, Date.now() + SIGKILL_SETTLE_MS);
}
