import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { signalGroup } from '../../src/terminate/process-group.js';
import { fixture } from '../helpers/fixtures.js';
import { eventually, killGroup, liveGroupMembers } from '../helpers/processes.js';

// No real Windows here: the platform is injected, and `taskkill` is test-scripts/fake-taskkill,
// which logs its arguments and kills the tree the POSIX way.
const savedPath = process.env.PATH;
let dir: string;
let log: string;
const leftovers: number[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ee-taskkill-'));
  log = join(dir, 'taskkill.log');
  process.env.PATH = [fixture('fake-taskkill'), savedPath].join(delimiter);
  process.env.FAKE_TASKKILL_LOG = log;
});
afterEach(() => {
  process.env.PATH = savedPath;
  delete process.env.FAKE_TASKKILL_LOG;
  for (const pgid of leftovers.splice(0)) killGroup(pgid);
  rmSync(dir, { recursive: true, force: true });
});

/** A tree like a command's: a shell in its own group with a sleeping grandchild. */
async function startTree(): Promise<number> {
  const child = spawn(fixture('spawn-grandchild.sh'), ['30'], {
    detached: true,
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  leftovers.push(child.pid!);
  await new Promise((resolve) => child.stdout!.once('data', resolve));
  return child.pid!;
}

const logged = () => {
  try {
    return readFileSync(log, 'utf8');
  } catch {
    return '';
  }
};

describe('signalGroup on Windows (platform injected)', () => {
  test.each(['SIGTERM', 'SIGKILL'] as const)(
    '%s is `taskkill /pid <pid> /T /F`: the whole tree, at once',
    async (signal) => {
      const pid = await startTree();
      expect(liveGroupMembers(pid).length).toBeGreaterThan(1); // the shell and its grandchild
      expect(signalGroup(pid, signal, 'win32')).toBe(true);
      expect(await eventually(() => logged() !== '')).toBe(true);
      expect(logged().trim().split('\n')).toEqual(['/pid', String(pid), '/T', '/F']);
      expect(await eventually(() => liveGroupMembers(pid).length === 0)).toBe(true);
    },
  );

  test('a taskkill that cannot be started is ignored: the call still returns true', () => {
    process.env.PATH = dir; // no taskkill here
    expect(signalGroup(2 ** 22 + 1, 'SIGKILL', 'win32')).toBe(true);
  });

  test('on Linux the same call signals the process group itself, without taskkill', async () => {
    const pid = await startTree();
    expect(signalGroup(pid, 'SIGKILL', 'linux')).toBe(true);
    expect(await eventually(() => liveGroupMembers(pid).length === 0)).toBe(true);
    expect(logged()).toBe('');
  });
});
