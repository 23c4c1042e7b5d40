import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { waitForAdoptedExit } from '../../src/journal/adoption.js';
import { readExitFile } from '../../src/journal/exit-status.js';
import { readProcessStartTime } from '../../src/journal/proc-info.js';
import { killStarted, spawnTracked, waitFor } from './helpers/processes.js';
import { makeTempDir, removeTempDirs } from './helpers/temp-dir.js';

afterEach(async () => {
  killStarted();
  await removeTempDirs();
});

describe.runIf(process.platform === 'linux')('waitForAdoptedExit', () => {
  async function adopt() {
    const exitFile = join(await makeTempDir(), 'a.exit');
    const child = spawnTracked('sleep', ['30']);
    const procStartTime = await waitFor(() => readProcessStartTime(child.pid!));
    return { exitFile, child, pid: child.pid!, procStartTime, readExit: () => readExitFile(exitFile) };
  }

  test('resolves with the exit file once it appears', async () => {
    const { exitFile, ...options } = await adopt();
    const waiting = waitForAdoptedExit({ ...options, intervalMs: 10 });
    await new Promise((resolve) => setTimeout(resolve, 50));
    await writeFile(exitFile, '4\n');
    expect(await waiting).toMatchObject({ exitCode: 4, signal: null });
  });

  test('resolves undefined when the process is gone without an exit file', async () => {
    const { exitFile: _, child, ...options } = await adopt();
    const waiting = waitForAdoptedExit({ ...options, intervalMs: 10 });
    child.kill('SIGKILL');
    expect(await waiting).toBeUndefined();
  });

  test('treats a reused pid as gone', async () => {
    const { exitFile: _, child: __, ...options } = await adopt();
    expect(await waitForAdoptedExit({ ...options, procStartTime: '1' })).toBeUndefined();
  });

  test('stops with the abort reason', async () => {
    const { exitFile: _, child: __, ...options } = await adopt();
    const controller = new AbortController();
    const waiting = waitForAdoptedExit({ ...options, intervalMs: 10, signal: controller.signal });
    controller.abort(new Error('enough'));
    await expect(waiting).rejects.toThrow('enough');
  });
});
