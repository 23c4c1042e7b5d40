import { execFile } from 'node:child_process';
import { stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { exec, inspectJournal, shell } from '../../src/index.js';
import { buildCli } from '../helpers/built-cli.js';
import { createEngine } from '../helpers/engine.js';
import { makeTempDir, removeTempDirs } from '../journal/helpers/temp-dir.js';

const execFileAsync = promisify(execFile);
let built: Awaited<ReturnType<typeof buildCli>> | undefined;
let bin: string;

beforeAll(async () => {
  built = await buildCli();
  bin = built.bin;
}, 120_000);
afterAll(async () => {
  await removeTempDirs();
  await built?.remove();
});

/** Runs the built bin; resolves with its exit code and output (never rejects on a non-zero exit). */
async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await execFileAsync(bin, args);
    return { code: 0, stdout, stderr };
  } catch (error) {
    const { code, stdout, stderr } = error as { code: number; stdout: string; stderr: string };
    return { code, stdout, stderr };
  }
}

test('the built bin is an executable with a shebang', async () => {
  expect((await stat(bin)).mode & 0o111).not.toBe(0);
  const { code, stdout } = await cli('--help');
  expect(code).toBe(0);
  expect(stdout).toMatch(/Usage: execution-engine <command>/);
  expect(stdout).toMatch(/status --journal DIR \[--json\]/);
});

describe('execution-engine status', () => {
  test('prints a table of the executions and the summary line', async () => {
    const dir = await makeTempDir();
    const engine = createEngine({ journal: { dir }, maxConcurrentExecutions: 1 });
    await engine.run({ id: 'build', command: shell('echo built'), group: 'ci' });
    await engine.run({ id: 'lint', command: exec('false') }).catch(() => {});
    await engine.run({ id: 'missing', command: exec('/nonexistent/program') }).catch(() => {});
    await engine.execute({ id: 'deploy', command: exec('sleep', ['30']) });
    await engine.execute({ id: 'notify', command: exec('true') });
    // The journal notes deploy's pid once the process's start time is read, after `started`.
    const deadline = Date.now() + 10_000;
    const journaledPid = async () =>
      (await inspectJournal(dir)).executions.find((entry) => entry.id === 'deploy')?.pid !== undefined;
    while (!(await journaledPid()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    await writeFile(join(dir, 'junk.json'), '{ torn');
    const { code, stdout, stderr } = await cli('status', '--journal', dir);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const lines = stdout.split('\n');
    expect(lines[0]).toBe(`journal: ${dir}`);
    expect(lines[1]).toMatch(new RegExp(`^owner: pid ${process.pid} \\(alive\\)$`));
    expect(lines).toContainEqual(
      expect.stringMatching(/^ID\s+STATUS\s+PID\s+ATTEMPT\s+PROGRESS\s+GROUP\s+UPDATED$/),
    );
    expect(lines).toContainEqual(expect.stringMatching(/^build\s+completed\s+\d+\s+1\s+-\s+ci\s+\d+s ago$/));
    expect(lines).toContainEqual(expect.stringMatching(/^deploy\s+running\s+\d+\s+1\s+-\s+-\s+\d+s ago$/));
    expect(lines).toContainEqual(expect.stringMatching(/^notify\s+queued\s+-\s+-\s+-\s+-/));
    expect(lines).toContainEqual(expect.stringMatching(/^unreadable: .*junk\.json: invalid JSON/));
    expect(lines.at(-2)).toBe('1 running, 1 queued, 2 completed, 1 failed');
  });

  test('prints a pipelines summary line when the journal has pipelines', async () => {
    const dir = await makeTempDir();
    const engine = createEngine({ journal: { dir } });
    const ok = { command: exec('true') };
    await engine.runPipeline({
      id: 'p1',
      steps: [
        { key: 'a', request: ok },
        { key: 'b', request: ok, dependsOn: ['a'] },
      ],
    });
    await engine
      .runPipeline({ id: 'p2', steps: [{ key: 'x', request: { command: exec('false') } }] })
      .catch(() => {});
    await engine.shutdown();
    const { code, stdout } = await cli('status', '--journal', dir);
    expect(code).toBe(0);
    const lines = stdout.split('\n');
    expect(lines.at(-3)).toBe('0 running, 0 queued, 3 completed, 0 failed');
    expect(lines.at(-2)).toBe('pipelines: 0 running, 1 completed, 1 failed, 0 cancelled');
    expect(stdout).not.toContain('unreadable');
    const view = JSON.parse((await cli('status', '--journal', dir, '--json')).stdout);
    expect(view.pipelines.map((p: { id: string; status: string }) => [p.id, p.status])).toEqual([
      ['p1', 'completed'],
      ['p2', 'failed'],
    ]);
  });

  test('--json prints what inspectJournal returns', async () => {
    const dir = await makeTempDir();
    const engine = createEngine({ journal: { dir } });
    await engine.run({ id: 'one', command: exec('true'), group: 'g' });
    await engine.shutdown();
    const { code, stdout } = await cli('status', '--journal', dir, '--json');
    expect(code).toBe(0);
    const view = JSON.parse(stdout);
    expect(view).toMatchObject({ dir, owner: null, pipelines: [], unreadable: [] });
    expect(view.executions).toEqual([
      expect.objectContaining({
        id: 'one',
        status: 'completed',
        group: 'g',
        attempt: 1,
        stale: false,
        commandType: 'exec',
      }),
    ]);
    expect(view.counts).toMatchObject({ completed: 1, running: 0 });
  });

  test.each([
    ['no command', [], /Usage: execution-engine <command>/],
    ['an unknown command', ['stats'], /unknown command 'stats'/],
    ['no --journal', ['status'], /--journal DIR is required/],
    ['an unknown option', ['status', '--journal', '/tmp', '--verbose'], /Unknown option '--verbose'/],
    [
      'a bad --stale-after',
      ['status', '--journal', '/tmp', '--stale-after', 'soon'],
      /--stale-after takes milliseconds/,
    ],
  ])('%s: usage on stderr, exit code 2', async (_, args, message) => {
    const { code, stdout, stderr } = await cli(...args);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(message);
    expect(stderr).toMatch(/Usage: execution-engine/);
  });

  test('a directory that does not exist: the reason on stderr, exit code 1', async () => {
    const { code, stderr } = await cli('status', '--journal', '/nonexistent/journal');
    expect(code).toBe(1);
    expect(stderr).toMatch(/ENOENT/);
  });
});
