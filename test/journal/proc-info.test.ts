import { readFile } from 'node:fs/promises';
import { afterEach, describe, expect, test } from 'vitest';
import {
  isProcessAlive,
  isSameProcess,
  readBootId,
  readProcessStartTime,
  readProcessStat,
} from '../../src/journal/proc-info.js';
import { deadPid, killStarted, spawnTracked, waitFor } from './helpers/processes.js';

afterEach(() => {
  killStarted();
});

describe.runIf(process.platform === 'linux')('on Linux', () => {
  test('readBootId returns the kernel boot id', async () => {
    const expected = (await readFile('/proc/sys/kernel/random/boot_id', 'utf8')).trim();
    expect(await readBootId()).toBe(expected);
    expect(expected).toMatch(/^[0-9a-f-]{36}$/);
  });

  test('readProcessStartTime is a stable number for a live process and undefined for a dead one', async () => {
    const start = await readProcessStartTime(process.pid);
    expect(start).toMatch(/^\d+$/);
    expect(await readProcessStartTime(process.pid)).toBe(start);
    expect(await readProcessStartTime(await deadPid())).toBeUndefined();
  });

  test('isSameProcess tells the recorded process from a reused pid', async () => {
    const start = await readProcessStartTime(process.pid);
    expect(await isSameProcess(process.pid, start)).toBe(true);
    expect(await isSameProcess(process.pid, `${start}1`)).toBe(false);
    expect(await isSameProcess(process.pid, undefined)).toBe(false);
    expect(await isSameProcess(await deadPid(), start)).toBe(false);
  });

  test('a zombie exists for kill 0 but is not the same process any more', async () => {
    // `sleep 0` becomes a zombie: its parent execs `sleep 5`, which never reaps it.
    const parent = spawnTracked('sh', ['-c', 'sleep 0 & exec sleep 5']);
    const zombie = await waitFor(async () => {
      const children = await readFile(`/proc/${parent.pid}/task/${parent.pid}/children`, 'utf8').catch(
        () => '',
      );
      const pid = Number(children.trim().split(' ')[0]);
      return pid > 0 && (await readProcessStat(pid))?.state === 'Z' ? pid : undefined;
    });
    const stat = await readProcessStat(zombie);
    expect(isProcessAlive(zombie)).toBe(true);
    expect(await isSameProcess(zombie, stat?.startTime)).toBe(false);
  });
});

describe('isProcessAlive', () => {
  test('is true for this process and false for an exited one', async () => {
    expect(isProcessAlive(process.pid)).toBe(true);
    expect(isProcessAlive(await deadPid())).toBe(false);
  });

  test.each([0, -1, 1.5, Number.NaN])('is false for the invalid pid %s', (pid) => {
    expect(isProcessAlive(pid)).toBe(false);
  });

  test('counts a process of another user (EPERM) as alive', () => {
    // Pid 1 always exists; as root kill 0 succeeds, otherwise it fails with EPERM.
    expect(isProcessAlive(1)).toBe(true);
  });
});
