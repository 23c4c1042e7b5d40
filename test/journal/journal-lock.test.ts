import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, test } from 'vitest';
import { isExecutionError } from '../../src/errors.js';
import { FileJournal } from '../../src/journal/file-journal.js';
import { JournalLockedError } from '../../src/journal/journal-errors.js';
import { readBootId, readProcessStartTime } from '../../src/journal/proc-info.js';
import { deadPid, killStarted, spawnTracked, track, waitFor } from './helpers/processes.js';
import { makeTempDir, removeTempDirs } from './helpers/temp-dir.js';

const journals: FileJournal[] = [];

function journalOn(dir: string): FileJournal {
  const journal = new FileJournal({ dir });
  journals.push(journal);
  return journal;
}

async function writeLock(dir: string, owner: Record<string, unknown>): Promise<void> {
  await writeFile(join(dir, 'journal.lock'), JSON.stringify(owner));
}

const CONTENDER = fileURLToPath(new URL('./helpers/lock-contender.ts', import.meta.url));

interface Contender {
  child: ChildProcess;
  ready: boolean;
  outcome: Promise<string>;
  exited: Promise<unknown>;
}

/** A separate Node process that opens a FileJournal on `dir` once `<dir>/go` exists. */
function startContender(dir: string): Contender {
  const child = spawn(process.execPath, ['--import', 'tsx', CONTENDER, dir], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  track(child.pid);
  let text = '';
  let resolveOutcome: (outcome: string) => void = () => undefined;
  const contender: Contender = {
    child,
    ready: false,
    outcome: new Promise((resolve) => {
      resolveOutcome = resolve;
    }),
    exited: new Promise((resolve) => child.on('exit', resolve)),
  };
  child.stdout?.on('data', (chunk: Buffer) => {
    text += chunk.toString();
    const lines = text.split('\n');
    contender.ready = lines[0] === 'ready' && lines.length > 1;
    if (lines.length > 2) resolveOutcome(lines[1] ?? '');
  });
  return contender;
}

afterEach(async () => {
  await Promise.all(journals.splice(0).map((journal) => journal.close()));
  killStarted();
  await removeTempDirs();
});

describe('journal lock', () => {
  test('a second journal on the same directory is refused with JournalLockedError', async () => {
    const dir = await makeTempDir();
    await journalOn(dir).open();
    const error = await journalOn(dir)
      .open()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JournalLockedError);
    expect(error).toMatchObject({ code: 'JOURNAL_LOCKED', name: 'JournalLockedError', dir });
    expect((error as JournalLockedError).owner?.pid).toBe(process.pid);
    expect(isExecutionError(error)).toBe(true);
  });

  test('the lock file names the owner: pid, boot id and process start time', async () => {
    const dir = await makeTempDir();
    await journalOn(dir).open();
    const owner = JSON.parse(await readFile(join(dir, 'journal.lock'), 'utf8'));
    expect(owner).toMatchObject({ pid: process.pid, acquiredAt: expect.any(String) });
    if (process.platform === 'linux') {
      expect(owner.bootId).toBe(await readBootId());
      expect(owner.procStartTime).toBe(await readProcessStartTime(process.pid));
    }
  });

  test('close releases the lock for the next owner', async () => {
    const dir = await makeTempDir();
    const first = journalOn(dir);
    await first.open();
    await first.close();
    await journalOn(dir).open();
  });

  test('a lock held by another live process is respected', async () => {
    const dir = await makeTempDir();
    const other = spawnTracked('sleep', ['30']);
    const procStartTime = await waitFor(() => readProcessStartTime(other.pid!));
    await writeLock(dir, { pid: other.pid, bootId: await readBootId(), procStartTime });
    await expect(journalOn(dir).open()).rejects.toMatchObject({
      code: 'JOURNAL_LOCKED',
      owner: { pid: other.pid },
    });
  });

  test('a stale lock of a dead process is taken over', async () => {
    const dir = await makeTempDir();
    await writeLock(dir, { pid: await deadPid(), bootId: await readBootId(), procStartTime: '1' });
    await journalOn(dir).open();
    expect(JSON.parse(await readFile(join(dir, 'journal.lock'), 'utf8')).pid).toBe(process.pid);
  });

  test('a lock from another boot is taken over even if its pid is alive now', async () => {
    const dir = await makeTempDir();
    await writeLock(dir, { pid: process.pid, bootId: 'another-boot', procStartTime: '1' });
    await journalOn(dir).open();
  });

  test.runIf(process.platform === 'linux')(
    'a lock whose pid was reused by another process is taken over',
    async () => {
      const dir = await makeTempDir();
      const start = await readProcessStartTime(process.pid);
      await writeLock(dir, { pid: process.pid, bootId: await readBootId(), procStartTime: `${start}0` });
      await journalOn(dir).open();
    },
  );

  test('an unreadable lock is respected while fresh and taken over once old', async () => {
    const dir = await makeTempDir();
    const path = join(dir, 'journal.lock');
    await writeFile(path, '{"pi');
    await expect(journalOn(dir).open()).rejects.toBeInstanceOf(JournalLockedError);
    const old = new Date(Date.now() - 60_000);
    await utimes(path, old, old);
    await journalOn(dir).open();
  });

  test('of many journals opening at once exactly one wins', async () => {
    const dir = await makeTempDir();
    const results = await Promise.allSettled(Array.from({ length: 12 }, () => journalOn(dir).open()));
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    for (const result of results) {
      if (result.status === 'rejected') expect(result.reason).toBeInstanceOf(JournalLockedError);
    }
  });

  test('of many journals taking over one stale lock at once exactly one wins', async () => {
    const dir = await makeTempDir();
    await writeLock(dir, { pid: await deadPid(), bootId: await readBootId() });
    const results = await Promise.allSettled(Array.from({ length: 12 }, () => journalOn(dir).open()));
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
  });

  test.each([
    ['a free directory', false],
    ['a stale lock', true],
  ])('of several processes racing for %s exactly one wins', async (_, stale) => {
    const dir = await makeTempDir();
    if (stale) await writeLock(dir, { pid: await deadPid(), bootId: await readBootId() });
    const contenders = Array.from({ length: 6 }, () => startContender(dir));
    // Let them all start and poll for the go file, then release them at once.
    await waitFor(() => contenders.every((c) => c.ready), 20_000, 'contenders to start');
    await writeFile(join(dir, 'go'), '');
    const outcomes = await Promise.all(contenders.map((c) => c.outcome));
    for (const c of contenders) c.child.stdin?.end();
    await Promise.all(contenders.map((c) => c.exited));
    expect(outcomes.sort()).toEqual(['locked', 'locked', 'locked', 'locked', 'locked', 'won']);
  });

  test('a takeover in progress by another live process is respected', async () => {
    const dir = await makeTempDir();
    const other = spawnTracked('sleep', ['30']);
    const procStartTime = await waitFor(() => readProcessStartTime(other.pid!));
    await writeLock(dir, { pid: await deadPid(), bootId: await readBootId() });
    await writeFile(
      join(dir, 'journal.lock.takeover'),
      JSON.stringify({ pid: other.pid, bootId: await readBootId(), procStartTime }),
    );
    await expect(journalOn(dir).open()).rejects.toMatchObject({
      code: 'JOURNAL_LOCKED',
      owner: { pid: other.pid },
    });
  });

  test('a takeover file left by a contender that died is cleared and the stale lock taken over', async () => {
    const dir = await makeTempDir();
    const bootId = await readBootId();
    await writeLock(dir, { pid: await deadPid(), bootId });
    await writeFile(join(dir, 'journal.lock.takeover'), JSON.stringify({ pid: await deadPid(), bootId }));
    await journalOn(dir).open();
    expect(existsSync(join(dir, 'journal.lock.takeover'))).toBe(false);
    expect(JSON.parse(await readFile(join(dir, 'journal.lock'), 'utf8')).pid).toBe(process.pid);
  });

  test('closing never removes a lock that another owner took over meanwhile', async () => {
    const dir = await makeTempDir();
    const journal = journalOn(dir);
    await journal.open();
    await writeLock(dir, { pid: 1, bootId: 'someone-else' });
    await journal.close();
    expect(JSON.parse(await readFile(join(dir, 'journal.lock'), 'utf8')).pid).toBe(1);
  });
});
