import { execFileSync } from 'node:child_process';

/** Live (non-zombie) processes whose process group is `pgid`, from `ps`. */
export function liveGroupMembers(pgid: number): number[] {
  const out = execFileSync('ps', ['-eo', 'pid=,pgid=,stat='], { encoding: 'utf8' });
  const pids: number[] = [];
  for (const line of out.split('\n')) {
    const [pid, group, stat] = line.trim().split(/\s+/);
    if (group === String(pgid) && stat !== undefined && !stat.startsWith('Z')) pids.push(Number(pid));
  }
  return pids;
}

/** True when `pid` is a live, non-zombie process. */
export function isAlive(pid: number): boolean {
  try {
    const stat = execFileSync('ps', ['-o', 'stat=', '-p', String(pid)], { encoding: 'utf8' }).trim();
    return stat !== '' && !stat.startsWith('Z');
  } catch {
    return false;
  }
}

/** SIGKILLs a process group, ignoring one that is already gone (test cleanup). */
export function killGroup(pgid: number): void {
  try {
    process.kill(-pgid, 'SIGKILL');
  } catch {
    // already gone
  }
}

/** Polls `predicate` until true or `timeoutMs` passes; resolves with the last value. */
export async function eventually(predicate: () => boolean, timeoutMs = 5000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return true;
}
