import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { readExitFile } from '../../src/journal/exit-status.js';
import { isProcessAlive } from '../../src/journal/proc-info.js';
import { buildWrapperCommand, spawnWrapper, WRAPPER_SCRIPT } from '../../src/journal/wrapper.js';
import { setup } from './helpers/process-dirs.js';
import { track, waitFor } from './helpers/processes.js';

/** Runs `file args` under the wrapper in a fresh directory. */
async function runWrapped(file: string, args: string[], options: { input?: string } = {}) {
  const { dir, files } = await setup();
  if (options.input !== undefined) await writeFile(files.input, options.input);
  const wrapper = buildWrapperCommand(
    { file, args },
    {
      stdoutLog: files.stdoutLog,
      stderrLog: files.stderrLog,
      exitFile: files.exit,
      ...(options.input === undefined ? {} : { inputFile: files.input }),
    },
  );
  const { child, ready } = spawnWrapper(wrapper, { cwd: dir });
  const pid = track(child.pid);
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return { dir, files, pid, ready, exited };
}

describe('buildWrapperCommand', () => {
  test('passes everything as positional parameters after a fixed script', () => {
    const command = buildWrapperCommand(
      { file: '/bin/echo', args: ['$(rm -rf /)', "'"] },
      { stdoutLog: '/j/a.out', stderrLog: '/j/a.err', exitFile: '/j/a.exit' },
    );
    expect(command).toEqual({
      file: '/bin/sh',
      args: [
        '-c',
        WRAPPER_SCRIPT,
        'sh',
        '/j/a.out',
        '/j/a.err',
        '/dev/null',
        '/j/a.exit',
        '/bin/echo',
        '$(rm -rf /)',
        "'",
      ],
    });
  });
});

describe.runIf(process.platform !== 'win32')('the wrapper with real processes', () => {
  test('records exit code 3, exits with it itself and reports ready', async () => {
    const run = await runWrapped('/bin/sh', ['-c', 'echo out; echo err >&2; exit 3']);
    expect(await run.ready).toBe(true);
    expect(await run.exited).toEqual({ code: 3, signal: null });
    expect(await readFile(run.files.exit, 'utf8')).toBe('3\n');
    expect(await readExitFile(run.files.exit)).toEqual({
      exitCode: 3,
      signal: null,
      completedAt: expect.any(Date),
    });
    expect(await readFile(run.files.stdoutLog, 'utf8')).toBe('out\n');
    expect(await readFile(run.files.stderrLog, 'utf8')).toBe('err\n');
    expect(existsSync(`${run.files.exit}.tmp`)).toBe(false);
  });

  test('passes arguments literally, with no shell expansion of user data', async () => {
    const run = await runWrapped('/usr/bin/printf', ['%s\\n', 'a  b', '$(touch pwned)', '"q"', '*']);
    await run.exited;
    expect(await readFile(run.files.stdoutLog, 'utf8')).toBe('a  b\n$(touch pwned)\n"q"\n*\n');
    expect(existsSync(join(run.dir, 'pwned'))).toBe(false);
  });

  test('feeds the input file to stdin, or /dev/null without one', async () => {
    const withInput = await runWrapped('/bin/cat', [], { input: 'line 1\nline 2' });
    const without = await runWrapped('/bin/cat', []);
    await Promise.all([withInput.exited, without.exited]);
    expect(await readFile(withInput.files.stdoutLog, 'utf8')).toBe('line 1\nline 2');
    expect(await readFile(without.files.stdoutLog, 'utf8')).toBe('');
  });

  test('the command inherits neither the ready pipe nor ignored signals', async () => {
    const run = await runWrapped('/bin/sh', [
      '-c',
      'readlink /proc/$$/fd/3 || echo none; grep SigIgn /proc/$$/status',
    ]);
    await run.exited;
    expect(await readFile(run.files.stdoutLog, 'utf8')).toBe('none\nSigIgn:\t0000000000000000\n');
  });

  test('a missing program is reported in the stderr log with status 127', async () => {
    const run = await runWrapped('/no/such/program', []);
    expect(await run.exited).toEqual({ code: 127, signal: null });
    expect(await readFile(run.files.stderrLog, 'utf8')).toMatch(/not found/);
  });

  test('records the exit even when the environment has no PATH', async () => {
    const { files } = await setup();
    const wrapper = buildWrapperCommand(
      { file: '/bin/sh', args: ['-c', 'exit 5'] },
      { stdoutLog: files.stdoutLog, stderrLog: files.stderrLog, exitFile: files.exit },
    );
    const { child } = spawnWrapper(wrapper, { env: {} });
    track(child.pid);
    await new Promise((resolve) => child.on('exit', resolve));
    expect(await readFile(files.exit, 'utf8')).toBe('5\n');
  });

  test('appends to existing log files', async () => {
    const { files } = await setup();
    await writeFile(files.stdoutLog, 'before\n');
    const wrapper = buildWrapperCommand(
      { file: '/bin/echo', args: ['after'] },
      { stdoutLog: files.stdoutLog, stderrLog: files.stderrLog, exitFile: files.exit },
    );
    const { child } = spawnWrapper(wrapper);
    track(child.pid);
    await new Promise((resolve) => child.on('exit', resolve));
    expect(await readFile(files.stdoutLog, 'utf8')).toBe('before\nafter\n');
  });

  test('ready is false when the wrapper cannot start', async () => {
    const { child, ready } = spawnWrapper({ file: '/no/such/sh', args: [] });
    child.on('error', () => undefined);
    expect(await ready).toBe(false);
  });

  test('a command killed by SIGKILL from outside is recorded as that signal', async () => {
    const run = await runWrapped('/bin/sleep', ['30']);
    await run.ready;
    const command = await waitFor(async () => {
      const text = await readFile(`/proc/${run.pid}/task/${run.pid}/children`, 'utf8').catch(() => '');
      return Number(text.trim()) || undefined;
    });
    process.kill(command!, 'SIGKILL');
    expect(await run.exited).toEqual({ code: 137, signal: null });
    expect(await readExitFile(run.files.exit)).toMatchObject({ exitCode: null, signal: 'SIGKILL' });
  });

  test('SIGTERM to the group reaches the command, and the wrapper outlives it to record its exit', async () => {
    // The command traps TERM and takes 300 ms to finish; the wrapper must wait for it.
    const run = await runWrapped('/bin/sh', [
      '-c',
      'trap "sleep 0.3; exit 4" TERM; while :; do sleep 0.05; done',
    ]);
    await run.ready;
    await new Promise((resolve) => setTimeout(resolve, 50)); // let the command set its trap
    process.kill(-run.pid, 'SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(isProcessAlive(run.pid)).toBe(true);
    expect(existsSync(run.files.exit)).toBe(false);
    expect(await run.exited).toEqual({ code: 4, signal: null });
    expect(await readExitFile(run.files.exit)).toMatchObject({ exitCode: 4, signal: null });
  });

  // Regression: a group signal sent while the wrapper was still forking was swallowed by its trap.
  test('SIGTERM to the group right after ready always ends the command and is recorded', async () => {
    for (let attempt = 0; attempt < 20; attempt++) {
      const run = await runWrapped('/bin/sleep', ['30']);
      expect(await run.ready).toBe(true);
      process.kill(-run.pid, 'SIGTERM');
      expect(await run.exited).toEqual({ code: 143, signal: null });
      expect(await readExitFile(run.files.exit)).toMatchObject({ exitCode: null, signal: 'SIGTERM' });
    }
  });
});
