import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { fixture } from '../helpers/fixtures.js';
import { eventually, isAlive, killGroup, liveGroupMembers } from '../helpers/processes.js';

const leftovers: number[] = [];
afterEach(() => {
  for (const pgid of leftovers.splice(0)) killGroup(pgid);
});

function startHost(...args: string[]): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', fixture('engine-host.ts'), ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
}

async function readTree(host: ChildProcess): Promise<{ pid: number; grandchild: number }> {
  let text = '';
  for await (const chunk of host.stdout!) {
    text += String(chunk);
    if (text.includes('\n')) break;
  }
  const tree = JSON.parse(text.split('\n')[0]!) as { pid: number; grandchild: number };
  leftovers.push(tree.pid);
  return tree;
}

describe('kill on exit', () => {
  test('process.exit() leaves no process of a running execution behind', async () => {
    const host = startHost('exit');
    const tree = await readTree(host);
    const [code] = await once(host, 'exit');
    expect(code).toBe(0);
    expect(await eventually(() => liveGroupMembers(tree.pid).length === 0)).toBe(true);
    expect(isAlive(tree.grandchild)).toBe(false);
  });

  test('SIGTERM to the host kills running groups and is re-raised', async () => {
    const host = startHost('signal');
    const tree = await readTree(host);
    host.kill('SIGTERM');
    const [code, signal] = await once(host, 'exit');
    expect(code).toBeNull();
    expect(signal).toBe('SIGTERM');
    expect(await eventually(() => liveGroupMembers(tree.pid).length === 0)).toBe(true);
  });

  test('with killOnExit false the process tree survives the host', async () => {
    const host = startHost('exit', 'false');
    const tree = await readTree(host);
    await once(host, 'exit');
    expect(isAlive(tree.grandchild)).toBe(true);
  });

  test('an idle engine with a journal lets the Node process exit by itself', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ee-idle-journal-'));
    try {
      const host = startHost('idle', 'true', dir);
      const [code] = await once(host, 'exit');
      expect(code).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('an idle engine lets the Node process exit by itself', async () => {
    const host = startHost('idle');
    const started = Date.now();
    const [code] = await once(host, 'exit');
    expect(code).toBe(0);
    // The default cleanup interval is 60 s: an exit well before it means no timer holds Node.
    expect(Date.now() - started).toBeLessThan(20_000);
  });
});
