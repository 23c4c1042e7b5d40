import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { exec, InvalidRequestError, inspectJournal, type JournalView, shell } from '../../src/index.js';
import { createEngine } from '../helpers/engine.js';
import { fixture } from '../helpers/fixtures.js';
import { killStarted, track, waitFor } from '../journal/helpers/processes.js';
import { makeTempDir, removeTempDirs } from '../journal/helpers/temp-dir.js';

const hosts: ChildProcess[] = [];
afterEach(async () => {
  for (const host of hosts.splice(0)) {
    if (host.exitCode === null && host.signalCode === null) {
      host.kill('SIGKILL');
      await once(host, 'exit');
    }
  }
  killStarted();
  await removeTempDirs();
});

/**
 * Starts test-scripts/journal-owner.ts: another process that owns `dir` with one slot and runs
 * `count` sleeping executions (`run-0` runs, the others wait); resolves once they are journaled.
 */
async function startOwner(dir: string, count: number): Promise<ChildProcess> {
  const host = spawn(
    process.execPath,
    ['--import', 'tsx', fixture('journal-owner.ts'), dir, '/dev/null', String(count)],
    {
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  hosts.push(host);
  let text = '';
  await new Promise<void>((resolve, reject) => {
    host.stdout?.on('data', (chunk: Buffer) => {
      text += String(chunk);
      if (text.includes('ready\n')) resolve();
    });
    host.on('exit', () => reject(new Error(`owner exited: ${text}`)));
  });
  return host;
}

const byId = (view: JournalView, id: string) => view.executions.find((execution) => execution.id === id);

describe('inspectJournal, while another process owns the journal and after it died', () => {
  test('reads statuses and the owner without the lock, and spots stale executions once the owner is SIGKILLed', async () => {
    const dir = await makeTempDir();
    const host = await startOwner(dir, 3);
    const running = await waitFor(
      async () => byId(await inspectJournal(dir), 'run-0')?.pid,
      10_000,
      'run-0 pid',
    );
    track(running);
    const lockBefore = await readFile(join(dir, 'journal.lock'), 'utf8');
    const filesBefore = (await readdir(dir)).sort();

    let view = await inspectJournal(dir, { staleAfterMs: 0 });
    expect(view.owner).toEqual({ pid: host.pid, alive: true });
    expect(byId(view, 'run-0')).toMatchObject({ status: 'running', pid: running, attempt: 1, stale: false });
    expect(byId(view, 'run-1')).toMatchObject({ status: 'queued', stale: false, commandType: 'exec' });
    expect(byId(view, 'run-1')?.pid).toBeUndefined();
    expect(view.counts).toMatchObject({ running: 1, queued: 2, completed: 0 });
    expect(view.unreadable).toEqual([]);
    expect(view.pipelines).toEqual([]);
    // Read only: the lock and the directory are as they were.
    expect(await readFile(join(dir, 'journal.lock'), 'utf8')).toBe(lockBefore);
    expect((await readdir(dir)).sort()).toEqual(filesBefore);

    host.kill('SIGKILL');
    await once(host, 'exit');
    view = await inspectJournal(dir);
    expect(view.owner).toEqual({ pid: host.pid, alive: false });
    // Its process runs on and its record is recent: not stale yet...
    expect(byId(view, 'run-0')).toMatchObject({ status: 'running', stale: false });
    // ...unless the record has been idle for staleAfterMs with the owner dead.
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(byId(await inspectJournal(dir, { staleAfterMs: 1 }), 'run-0')?.stale).toBe(true);
    // Queued executions are never stale: the next engine runs them.
    expect(byId(view, 'run-1')?.stale).toBe(false);

    // The process dies too: stale at once, whatever staleAfterMs.
    process.kill(-running, 'SIGKILL');
    await waitFor(async () => byId(await inspectJournal(dir), 'run-0')?.stale, 5000, 'stale run-0');
  });

  test('a live owner keeps a running execution fresh however old its record', async () => {
    const dir = await makeTempDir();
    await startOwner(dir, 1);
    const pid = await waitFor(async () => byId(await inspectJournal(dir), 'run-0')?.pid, 10_000, 'run-0 pid');
    track(pid);
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(byId(await inspectJournal(dir, { staleAfterMs: 1 }), 'run-0')?.stale).toBe(false);
  });
});

describe('bad input', () => {
  test('torn, empty, garbage and foreign files are each reported, never thrown', async () => {
    const dir = await makeTempDir();
    const engine = createEngine({ journal: { dir } });
    await engine.run({ id: 'good', command: shell('echo hi'), group: 'g' });
    await engine.shutdown();
    const good = await readFile(join(dir, 'good.json'), 'utf8');
    await writeFile(join(dir, 'torn.json'), good.slice(0, good.length / 2));
    await writeFile(join(dir, 'empty.json'), '');
    await writeFile(join(dir, 'garbage.json'), Buffer.from([0xff, 0xfe, 0x00, 0x13, 0x37]));
    await writeFile(
      join(dir, 'other-version.json'),
      good.replace('"version": 2', '"version": 99').replace('"good"', '"other-version"'),
    );
    await writeFile(join(dir, 'bad name!.json'), good);
    await writeFile(join(dir, 'notes.txt'), 'not ours');
    await mkdir(join(dir, 'stuff'));
    const view = await inspectJournal(dir);
    expect(view.owner).toBeNull();
    expect(view.executions).toEqual([
      expect.objectContaining({
        id: 'good',
        status: 'completed',
        group: 'g',
        commandType: 'shell',
        exitCode: 0,
        stale: false,
      }),
    ]);
    const reasons = Object.fromEntries(
      view.unreadable.map(({ file, reason }) => [file.slice(dir.length + 1), reason]),
    );
    expect(reasons).toEqual({
      'bad name!.json': 'file name is not an execution id',
      'empty.json': 'empty file',
      'garbage.json': expect.stringMatching(/^invalid JSON/),
      'notes.txt': 'not a journal file',
      'other-version.json': 'unsupported version 99',
      stuff: 'not a journal file',
      'torn.json': expect.stringMatching(/^invalid JSON/),
    });
  });

  test.each([
    [
      'staleAfterMs',
      { staleAfterMs: -1 },
      /Expected `staleAfterMs` to be a non-negative integer.*`-1` \(number\)/,
    ],
    ['staleAfterMs', { staleAfterMs: 1.5 }, /`staleAfterMs`.*`1.5` \(number\)/],
  ])('an invalid %s is an InvalidRequestError naming it', async (field, options, message) => {
    const dir = await makeTempDir();
    const call = inspectJournal(dir, options);
    await expect(call).rejects.toBeInstanceOf(InvalidRequestError);
    await expect(inspectJournal(dir, options)).rejects.toMatchObject({
      field,
      message: expect.stringMatching(message),
    });
  });

  test('a directory that does not exist rejects with the file system error', async () => {
    await expect(inspectJournal('/nonexistent/journal')).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(inspectJournal('')).rejects.toMatchObject({ field: 'dir' });
  });
});

describe('progress in journal records', () => {
  test('the latest progress lands in the record, written at most once a second while it changes', async () => {
    const dir = await makeTempDir();
    const engine = createEngine({ journal: { dir }, progressIntervalMs: 10 });
    const events: number[] = [];
    engine.on('progress', (event) => events.push(event.progress.current ?? 0));
    // 40 steps, 40 ms apart: about 1.6 s of progress.
    const id = await engine.execute({
      command: exec(process.execPath, [fixture('progress-lines.js'), 'fraction', '40', '40']),
      progress: 'fraction',
    });
    const seen = new Set<number>();
    const record = join(dir, `${id}.json`);
    while (engine.getStatus(id) === 'running') {
      const stored = JSON.parse(await readFile(record, 'utf8')) as { progress?: { current: number } };
      if (stored.progress !== undefined) seen.add(stored.progress.current);
      await new Promise((resolve) => setTimeout(resolve, 15));
    }
    await engine.waitForCompletion(id);
    await engine.shutdown();
    expect(events.length).toBeGreaterThan(10);
    // About 1.6 s of changes: at most three progress writes while it ran (0 s, 1 s, 2 s).
    expect(seen.size).toBeGreaterThan(0);
    expect(seen.size).toBeLessThanOrEqual(3);
    const view = await inspectJournal(dir);
    expect(byId(view, id)?.progress).toEqual({ current: 40, total: 40, percent: 100 });
  });
});

// How long this takes is measured by `npm run bench` (workload inspect-journal, target 2 s).
test('reads every one of 100,000 records and counts them', async () => {
  const dir = await makeTempDir();
  const record = (id: string, status: string) =>
    `${JSON.stringify(
      {
        version: 2,
        id,
        status,
        command: { file: '/bin/sh', args: ['-c', `echo ${id}`] },
        request: { command: { type: 'shell', command: `echo ${id}` }, group: `g${id.length % 4}` },
        createdAt: '2026-01-01T00:00:00.000Z',
        startedAt: '2026-01-01T00:00:01.000Z',
        completedAt: '2026-01-01T00:00:02.000Z',
        pid: process.pid,
        exitCode: 0,
        signal: null,
        attempts: [{ number: 1, pid: process.pid, status: 'completed', exitCode: 0, signal: null }],
      },
      null,
      2,
    )}\n`;
  const ids = Array.from({ length: 100_000 }, (_, i) => `job-${i}`);
  for (const [i, id] of ids.entries()) {
    writeFileSync(join(dir, `${id}.json`), record(id, i % 100 === 0 ? 'running' : 'completed'));
  }
  const view = await inspectJournal(dir);
  expect(view.executions).toHaveLength(100_000);
  expect(view.counts.running).toBe(1000);
  expect(view.unreadable).toEqual([]);
}, 120_000);

describe('pipelines in the journal', () => {
  test('each pipeline record is read as a snapshot: steps, dependencies, summary, group, dates', async () => {
    const dir = await makeTempDir();
    const engine = createEngine({ journal: { dir } });
    const ok = { command: exec('true'), group: 'ci' };
    await engine.runPipeline({
      id: 'build',
      steps: [
        { key: 'compile', request: ok },
        { key: 'test', request: ok, dependsOn: ['compile'] },
      ],
    });
    await engine.startPipeline({
      id: 'slow',
      steps: [
        { key: 'wait', request: { command: exec('sleep', ['30']) } },
        { key: 'after', request: { command: exec('true') }, dependsOn: ['wait'] },
      ],
    });
    await waitFor(
      async () => (engine.getPipeline('slow').steps[0]!.status === 'running' ? true : undefined),
      10_000,
      'slow running',
    );
    await writeFile(join(dir, 'pipelines', 'junk.json'), '{');
    const view = await waitFor(
      async () => {
        const read = await inspectJournal(dir);
        return read.pipelines.find((p) => p.id === 'slow')?.steps[0]?.status === 'running' ? read : undefined;
      },
      10_000,
      'slow recorded running',
    );
    expect(view.pipelines.map((p) => p.id)).toEqual(['build', 'slow']);
    const [build, slow] = view.pipelines;
    expect(build).toMatchObject({
      status: 'completed',
      group: 'ci',
      progress: 1,
      resumable: true,
      summary: { total: 2, completed: 2, pending: 0 },
      steps: [
        { key: 'compile', status: 'completed', dependsOn: [], executionId: 'build.compile' },
        { key: 'test', status: 'completed', dependsOn: ['compile'], executionId: 'build.test' },
      ],
    });
    expect(build!.completedAt).toBeInstanceOf(Date);
    expect(build!.createdAt).toBeInstanceOf(Date);
    expect(slow).toMatchObject({ status: 'running', progress: 0, summary: { running: 1, pending: 1 } });
    expect(slow!.group).toBeUndefined();
    expect(byId(view, 'build.test')?.pipeline).toEqual({ id: 'build', step: 'test' });
    expect(view.unreadable.map((u) => u.file)).toEqual([join(dir, 'pipelines', 'junk.json')]);
    await engine.cancelPipeline('slow');
  });
});
