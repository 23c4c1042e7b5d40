import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { setTimeout as delay } from 'node:timers/promises';

const started = new Set<number>();

/** Remembers a pid (and its group) so that {@link killStarted} ends it after the test. */
export function track(pid: number | undefined): number {
  if (pid === undefined) throw new Error('process has no pid');
  started.add(pid);
  return pid;
}

/** Spawns `file args` detached (own process group), tracked for cleanup. */
export function spawnTracked(file: string, args: string[]): ChildProcess {
  const child = spawn(file, args, { detached: true, stdio: 'ignore' });
  track(child.pid);
  return child;
}

/** SIGKILLs every tracked process group and process. Call it in `afterEach`. */
export function killStarted(): void {
  for (const pid of started) {
    for (const target of [-pid, pid]) {
      try {
        process.kill(target, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
  }
  started.clear();
}

/** Command lines of running processes whose command line contains `marker` (zombies excluded). */
export function processesMentioning(marker: string): string[] {
  const out = execFileSync('ps', ['-eo', 'stat=,args='], { encoding: 'utf8' });
  return out
    .split('\n')
    .filter((line) => line.includes(marker) && !line.trimStart().startsWith('Z'))
    .map((line) => line.trim());
}

/** Polls `check` every 20 ms until it returns a truthy value, or throws after `timeoutMs`. */
export async function waitFor<T>(
  check: () => T | Promise<T>,
  timeoutMs = 10_000,
  what = 'condition',
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await delay(20);
  }
}

/** Pid of a process that has exited (and been reaped): spawn `true` and wait for it. */
export async function deadPid(): Promise<number> {
  const child = spawn('true', [], { stdio: 'ignore' });
  await new Promise((resolve) => child.on('exit', resolve));
  return child.pid!;
}
