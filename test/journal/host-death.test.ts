import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { readExitFile } from '../../src/journal/exit-status.js';
import { isProcessAlive } from '../../src/journal/proc-info.js';
import { buildWrapperCommand } from '../../src/journal/wrapper.js';
import { setup } from './helpers/process-dirs.js';
import { processesMentioning, track, waitFor } from './helpers/processes.js';

const TICKER = fileURLToPath(new URL('../../test-scripts/journal-ticker.js', import.meta.url));
const HOST = fileURLToPath(new URL('../../test-scripts/journal-host.js', import.meta.url));

describe.runIf(process.platform !== 'win32')('a wrapped command whose host dies', () => {
  test('the command keeps running and writing when its host is SIGKILLed, and its exit code is recorded', async () => {
    const { dir, files } = await setup();
    const wrapper = buildWrapperCommand(
      { file: process.execPath, args: [TICKER, '30', '40', '7'] },
      { stdoutLog: files.stdoutLog, stderrLog: files.stderrLog, exitFile: files.exit },
    );
    const host = spawn(process.execPath, [HOST, JSON.stringify(wrapper)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    track(host.pid);
    const wrapperPid = Number(
      await new Promise<string>((resolve) =>
        host.stdout.once('data', (chunk: Buffer) => resolve(chunk.toString())),
      ),
    );
    track(wrapperPid);
    const lines = async () =>
      (await readFile(files.stdoutLog, 'utf8').catch(() => '')).split('\n').length - 1;
    await waitFor(async () => (await lines()) >= 3, 10_000, 'first lines');

    const hostExit = new Promise((resolve) => host.on('exit', (_, signal) => resolve(signal)));
    host.kill('SIGKILL');
    expect(await hostExit).toBe('SIGKILL');
    const linesAtHostDeath = await lines();
    expect(isProcessAlive(wrapperPid)).toBe(true);

    const exit = await waitFor(() => readExitFile(files.exit), 15_000, 'the exit file');
    expect(exit).toMatchObject({ exitCode: 7, signal: null });
    expect(linesAtHostDeath).toBeLessThan(30);
    expect(await readFile(files.stdoutLog, 'utf8')).toBe(
      Array.from({ length: 30 }, (_, n) => `tick ${n + 1}\n`).join(''),
    );
    // Only the command's own lines: the wrapper printed nothing although it had no fd 3.
    expect(await readFile(files.stderrLog, 'utf8')).toBe(
      Array.from({ length: 30 }, (_, n) => `err ${n + 1}\n`).join(''),
    );
    await waitFor(() => !isProcessAlive(wrapperPid), 5000, 'the wrapper to end');
    expect(processesMentioning(dir)).toEqual([]);
  });
});
