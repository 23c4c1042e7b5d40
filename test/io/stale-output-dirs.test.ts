import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { outputDirPrefix, removeStaleOutputDirs } from '../../src/io/stale-output-dirs.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** The pid of a process that has exited. */
async function deadPid(): Promise<number> {
  const child = spawn('true');
  await new Promise((resolve) => child.once('exit', resolve));
  return child.pid!;
}

describe('output directories left by killed processes', () => {
  test("are removed when their process is gone; a live process's, another host's and other files are kept", async () => {
    const parent = mkdtempSync(join(tmpdir(), 'stale-output-dirs-'));
    dirs.push(parent);
    const prefix = outputDirPrefix();
    const live = spawn('sleep', ['30']);
    try {
      const names = {
        dead: `${prefix}${await deadPid()}-abc123`,
        live: `${prefix}${live.pid}-def456`,
        own: `${prefix}${process.pid}-ghi789`,
        otherHost: `execution-engine-outputs-elsewhere-${await deadPid()}-jkl012`,
        unrelated: 'something-else',
      };
      for (const name of Object.values(names)) mkdirSync(join(parent, name));
      mkdirSync(join(parent, names.dead, 'left-inside'));
      removeStaleOutputDirs(parent, prefix);
      expect(existsSync(join(parent, names.dead))).toBe(false);
      for (const kept of [names.live, names.own, names.otherHost, names.unrelated]) {
        expect(existsSync(join(parent, kept))).toBe(true);
      }
    } finally {
      live.kill();
    }
  });

  test('a missing parent directory is not an error', () => {
    expect(() =>
      removeStaleOutputDirs(join(tmpdir(), 'no-such-dir-for-this-test'), outputDirPrefix()),
    ).not.toThrow();
  });
});
