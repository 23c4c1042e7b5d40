import { spawn } from 'node:child_process';
import { HOST_PLATFORM } from '../spawn/platform.js';
import { markNow, scanAfter } from './proc-scan.js';

const isWindows = process.platform === 'win32';
const isLinux = process.platform === 'linux';

/**
 * Sends `signal` to every process of the group led by `pgid`. Returns false when no process of the
 * group is left to receive it. On Windows (`platform`, the host's by default) there are no groups:
 * the tree rooted at `pgid` is killed at once, whatever the signal, with `taskkill /pid <pgid> /T /F`
 * (`/T` the whole tree, `/F` forcefully), and the result is always true (taskkill runs in the
 * background; its failures, such as a tree already gone, are ignored).
 */
export function signalGroup(
  pgid: number,
  signal: NodeJS.Signals,
  platform: NodeJS.Platform = HOST_PLATFORM,
): boolean {
  if (platform === 'win32') {
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

/**
 * What is left of a group: `reaped` (no process at all), `dead` (only zombies, which can no
 * longer run) or `alive`.
 */
export type GroupState = 'reaped' | 'dead' | 'alive';

/**
 * The state of the group led by `pgid`, judged only from evidence gathered after `since` (a
 * {@link markNow} mark taken after the last signal, or the mark of the scan seen last). `seen` is
 * the mark of the `/proc` scan used, if any: pass it as `since` next time to get newer evidence.
 */
export async function groupState(pgid: number, since: number): Promise<{ state: GroupState; seen: number }> {
  if (isWindows) {
    try {
      process.kill(pgid, 0);
      return { state: 'alive', seen: since };
    } catch {
      return { state: 'reaped', seen: since };
    }
  }
  try {
    process.kill(-pgid, 0);
  } catch (error) {
    return { state: (error as NodeJS.ErrnoException).code === 'EPERM' ? 'alive' : 'reaped', seen: since };
  }
  // Orphaned members that died are zombies until their new parent reaps them; some init
  // processes (containers) never do, so kill(-pgid, 0) alone never reports the group gone. A scan
  // that started before the signal (or before the group's newest member existed) says nothing
  // about the group now, hence `since`.
  if (!isLinux) return { state: 'alive', seen: since };
  const scan = await scanAfter(since);
  const groups = await scan.groups;
  return { state: groups === undefined || groups.has(pgid) ? 'alive' : 'dead', seen: scan.mark };
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Polls until the group is no longer alive or `deadline` (ms epoch) passes, using only evidence
 * gathered after `since` (see {@link groupState}). Resolves with the last state seen.
 */
export async function waitGroupGone(pgid: number, since: number, deadline: number): Promise<GroupState> {
  let delay = 2;
  for (;;) {
    const { state, seen } = await groupState(pgid, since);
    if (state !== 'alive') return state;
    since = seen;
    const left = deadline - Date.now();
    if (left <= 0) return state;
    await sleep(Math.min(delay, left));
    delay = Math.min(delay * 2, 50);
  }
}

/** How long to wait for the kernel to tear down a SIGKILLed group before giving up. */
const SIGKILL_SETTLE_MS = 10_000;

/**
 * Terminates a whole process group: `signal`, then SIGKILL after `graceMs` unless the group is
 * gone by then, repeated until evidence gathered after it shows no live process. Resolves once
 * no process of the group is left (or the kernel did not tear it down within 10 s of SIGKILL,
 * e.g. a process stuck in uninterruptible I/O).
 */
export async function terminateGroup(pgid: number, signal: NodeJS.Signals, graceMs: number): Promise<void> {
  if (!signalGroup(pgid, signal) && !isWindows) return;
  if (signal !== 'SIGKILL') {
    const state = await waitGroupGone(pgid, markNow(), Date.now() + graceMs);
    if (state === 'reaped') return;
  }
  if (isWindows) {
    signalGroup(pgid, 'SIGKILL');
    await waitGroupGone(pgid, markNow(), Date.now() + SIGKILL_SETTLE_MS);
    return;
  }
  // SIGKILL even when the grace phase found only zombies: a member forked while a scan was under
  // way can have been missed by it. After a group SIGKILL no member can fork any more (one forked
  // concurrently dies too; zombies ignore it), so a scan started after it that finds no live
  // member is conclusive.
  const deadline = Date.now() + SIGKILL_SETTLE_MS;
  let delay = 2;
  while (signalGroup(pgid, 'SIGKILL')) {
    const { state } = await groupState(pgid, markNow());
    const left = deadline - Date.now();
    if (state !== 'alive' || left <= 0) return;
    await sleep(Math.min(delay, left));
    delay = Math.min(delay * 2, 50);
  }
}
