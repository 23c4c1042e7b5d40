import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { forgetOnExit, killOnExit } from '../../src/terminate/exit-hook.js';
import { fixture } from '../helpers/fixtures.js';
import { eventually, isAlive, killGroup, liveGroupMembers } from '../helpers/processes.js';

const leftovers: number[] = [];
afterEach(() => {
  vi.useRealTimers();
  for (const pgid of leftovers.splice(0)) killGroup(pgid);
});

/** Starts a host (test-scripts/ `host`) and reads its first line: the tree it started. */
async function startHost(
  host: string,
  ...args: string[]
): Promise<{
  child: ChildProcess;
  exited: Promise<unknown[]>;
  pid: number;
  grandchild: number;
  lines: string[];
}> {
  const child = spawn(process.execPath, ['--import', 'tsx', fixture(host), ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  // Listened to at once: a host may exit before its first line is read.
  const exited = once(child, 'exit');
  const lines: string[] = [];
  let buffer = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    buffer += chunk;
    const parts = buffer.split('\n');
    buffer = parts.pop()!;
    lines.push(...parts);
  });
  if (!(await eventually(() => lines.length > 0, 20_000))) throw new Error(`${host} printed nothing`);
  const tree = JSON.parse(lines[0]!) as { pid: number; grandchild: number };
  leftovers.push(tree.pid);
  return { child, exited, ...tree, lines };
}

describe('exit hook (signal-exit)', () => {
  test('a signal the app does not handle (SIGQUIT) kills running groups and is re-raised', async () => {
    const host = await startHost('engine-host.ts', 'signal');
    host.child.kill('SIGQUIT');
    const [code, signal] = await host.exited;
    expect({ code, signal }).toEqual({ code: null, signal: 'SIGQUIT' });
    expect(await eventually(() => liveGroupMembers(host.pid).length === 0)).toBe(true);
  });

  test('a signal the app handles is left to the app; the exit hook kills the groups when it exits', async () => {
    const host = await startHost('exit-hook-host.ts', 'own-listener', 'SIGINT');
    host.child.kill('SIGINT');
    const [code] = await host.exited;
    expect(code).toBe(0);
    // The engine did nothing on the signal: the tree was still there in the app's handler.
    expect(host.lines).toContain('handled alive');
    expect(await eventually(() => liveGroupMembers(host.pid).length === 0)).toBe(true);
    expect(isAlive(host.grandchild)).toBe(false);
  });

  // Before signal-exit, the engine counted any other SIGTERM listener, such as another library's
  // exit hook, as the app's own: it then did nothing, and neither did the library, so SIGTERM
  // neither killed the groups nor ended the host.
  test("another library's signal-exit hook does not stop a signal from killing the groups and the host", async () => {
    const host = await startHost('exit-hook-host.ts', 'library');
    host.child.kill('SIGTERM');
    const [code, signal] = await host.exited;
    expect({ code, signal }).toEqual({ code: null, signal: 'SIGTERM' });
    expect(host.lines).toContain('library hook ran');
    expect(await eventually(() => liveGroupMembers(host.pid).length === 0)).toBe(true);
  });

  test("the groups are killed after the app's own exit listeners ran (alwaysLast)", async () => {
    const host = await startHost('exit-hook-host.ts', 'exit-listener');
    const [code] = await host.exited;
    expect(code).toBe(0);
    expect(host.lines).toContain('exit-listener alive');
    expect(await eventually(() => liveGroupMembers(host.pid).length === 0)).toBe(true);
  });

  test('the hook is installed only while a group is registered, and for a second after the last one', () => {
    vi.useFakeTimers();
    const sleeper = spawn('sleep', ['30'], { detached: true, stdio: 'ignore' });
    leftovers.push(sleeper.pid!);
    const listeners = process.listenerCount('SIGTERM');
    const emit = process.emit;

    killOnExit(sleeper.pid!);
    expect(process.listenerCount('SIGTERM')).toBe(listeners + 1);
    expect(process.emit).not.toBe(emit);
    const hooked = process.emit;

    forgetOnExit(sleeper.pid!);
    vi.advanceTimersByTime(900);
    // Registered again within the second: the same hook stays, nothing is re-installed.
    killOnExit(sleeper.pid!);
    forgetOnExit(sleeper.pid!);
    vi.advanceTimersByTime(900);
    expect(process.emit).toBe(hooked);
    expect(process.listenerCount('SIGTERM')).toBe(listeners + 1);

    vi.advanceTimersByTime(200);
    expect(process.listenerCount('SIGTERM')).toBe(listeners);
    expect(process.emit).toBe(emit);
  });
});
