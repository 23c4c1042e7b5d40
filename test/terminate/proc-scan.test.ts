import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, test } from 'vitest';
import { markNow, scanAfter } from '../../src/terminate/proc-scan.js';
import { groupState } from '../../src/terminate/process-group.js';
import { eventually, killGroup } from '../helpers/processes.js';

const children: ChildProcess[] = [];

/** A detached `sleep 30`, leader of its own group; uv_spawn returns once it has exec'd. */
function sleeper(): number {
  const child = spawn('sleep', ['30'], { detached: true, stdio: 'ignore' });
  children.push(child);
  return child.pid!;
}

/** The state letter of `pid` from /proc (`Z` for a zombie), or '' once it is reaped. */
function stateOf(pid: number): string {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  } catch {
    return '';
  }
}

afterEach(() => {
  for (const child of children.splice(0)) killGroup(child.pid!);
});

describe.skipIf(process.platform !== 'linux')('shared /proc scans', () => {
  test('a scan is reused only by callers whose mark it follows', async () => {
    const first = await scanAfter(markNow());
    const pgid = sleeper(); // born while `first` may still be reading /proc
    const since = markNow();
    const [a, b] = await Promise.all([scanAfter(since), scanAfter(since)]);
    expect(a).toBe(b); // one scan for callers at about the same time
    expect(a).not.toBe(first);
    expect(a.mark).toBeGreaterThan(since);
    expect((await a.groups)?.has(pgid)).toBe(true);
    // Evidence from after an older mark is still evidence from after it.
    await expect(scanAfter(first.mark)).resolves.toBe(a);
  });

  test('callers that come while a scan is under way share the next one', async () => {
    const running = await scanAfter(markNow());
    const marks = [markNow(), markNow(), markNow()];
    const next = await Promise.all(marks.map((mark) => scanAfter(mark)));
    expect(new Set(next).size).toBe(1);
    expect(next[0]!.mark).toBeGreaterThan(Math.max(...marks));
    expect(next[0]).not.toBe(running);
  });

  test('a group with no process left is reaped', async () => {
    const pgid = sleeper();
    const alive = await groupState(pgid, markNow());
    expect(alive.state).toBe('alive');
    process.kill(-pgid, 'SIGKILL');
    const child = children.at(-1)!;
    await new Promise((resolve) => child.once('exit', resolve));
    const gone = await groupState(pgid, markNow());
    expect(gone.state).toBe('reaped');
  });

  test('a group left with only a zombie is dead, not alive or reaped', async () => {
    // The zombie leads a group of its own; its parent (another group) never reaps it. The child
    // exits only once its parent has become `sleep` (which never reaps): a shell still running
    // could reap it first.
    const child = 'until [ "$(cat /proc/$PPID/comm)" = sleep ]; do sleep 0.01; done';
    const parent = spawn('sh', ['-c', `setsid sh -c '${child}' & echo $!; exec sleep 30`], {
      detached: true,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    children.push(parent);
    const [line] = (await once(parent.stdout!, 'data')) as [Buffer];
    const pgid = Number(line.toString().trim());
    expect(await eventually(() => stateOf(pgid) === 'Z')).toBe(true);
    expect(() => process.kill(-pgid, 0)).not.toThrow(); // the zombie still holds the group
    expect((await groupState(pgid, markNow())).state).toBe('dead');
  });
});
