import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { readFile, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { ExecutionEngine, exec, JournalLockedError, shell } from '../../src/index.js';
import { fixture } from '../helpers/fixtures.js';
import { eventually } from '../helpers/processes.js';
import { shutDownEngines, trackEngine } from './helpers/engines.js';
import { killStarted, track, waitFor } from './helpers/processes.js';
import { makeTempDir, removeTempDirs } from './helpers/temp-dir.js';

const hosts: ChildProcess[] = [];

afterEach(async () => {
  await shutDownEngines();
  await Promise.all(
    hosts.splice(0).map(async (host) => {
      if (host.exitCode !== null || host.signalCode !== null) return;
      const exited = new Promise((resolve) => host.once('exit', resolve));
      host.stdin?.end();
      await exited;
    }),
  );
  killStarted();
  await removeTempDirs();
});

/** A real host process owning the journal `dir` (test-scripts/journal-owner.ts); resolves with its first line. */
function startHost(
  dir: string,
  runsFile: string,
  count: number,
): { host: ChildProcess; first: Promise<string> } {
  const host = spawn(
    process.execPath,
    ['--import', 'tsx', fixture('journal-owner.ts'), dir, runsFile, String(count)],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  track(host.pid);
  hosts.push(host);
  const first = new Promise<string>((resolve) => {
    let text = '';
    host.stdout?.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      if (text.includes('\n')) resolve(text.split('\n')[0] ?? '');
    });
    host.once('exit', () => resolve(text));
  });
  return { host, first };
}

const runs = (file: string) =>
  existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : [];

describe('a journal lock that is deleted while its owner lives', () => {
  test.skipIf(process.platform !== 'linux')(
    'a second host is refused with JOURNAL_LOCKED and nothing runs twice',
    async () => {
      const dir = await makeTempDir();
      const runsFile = join(await makeTempDir('journal-runs-'), 'runs');
      const a = startHost(dir, runsFile, 3);
      expect(await a.first).toBe('ready');
      await waitFor(() => runs(runsFile).length === 1, 10_000, 'the first execution to run');
      await unlink(join(dir, 'journal.lock'));

      const b = startHost(dir, runsFile, 0);
      expect(await b.first).toBe('locked');
      expect(runs(runsFile)).toEqual(['run-0']);
    },
  );

  test.skipIf(process.platform !== 'linux')(
    'an engine whose lock file is deleted puts it back and goes on',
    async () => {
      const dir = await makeTempDir();
      const engine = new ExecutionEngine({ journal: { dir }, killGraceMs: 200 });
      trackEngine(engine);
      await engine.run({ command: exec('true') });
      const lock = await readFile(join(dir, 'journal.lock'), 'utf8');
      await unlink(join(dir, 'journal.lock'));
      const result = await engine.run({ command: exec('true') });
      expect(result.status).toBe('completed');
      expect(await readFile(join(dir, 'journal.lock'), 'utf8')).toBe(lock);
    },
  );

  test('an engine that finds its lock replaced starts nothing more and accepts nothing more', async () => {
    const dir = await makeTempDir();
    const marker = join(await makeTempDir('journal-runs-'), 'ran');
    const engine = new ExecutionEngine({ journal: { dir }, maxConcurrentExecutions: 1, killGraceMs: 200 });
    trackEngine(engine);
    const first = await engine.execute({ command: exec('sleep', ['30']) });
    await eventually(() => engine.getExecution(first).pid !== undefined);
    const queued = await engine.execute({ command: shell(`touch ${marker}`) });
    // Another engine took the directory over (one without a lock socket, or a file written by hand).
    const foreign = `${JSON.stringify({ pid: 1, token: 'someone-else' })}\n`;
    await writeFile(join(dir, 'journal.lock'), foreign);
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.message);
    process.on('warning', onWarning);
    try {
      await engine.cancel(first);
      const result = await engine.waitForCompletion(queued);
      expect(result.status).toBe('failed');
      expect(result.error?.code).toBe('JOURNAL_LOCKED');
      expect(existsSync(marker)).toBe(false);
      const error = await engine.execute({ command: exec('true') }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(JournalLockedError);
      expect((error as JournalLockedError).lost).toBe(true);
      await eventually(() => warnings.some((message) => message.includes('lock was lost')));
    } finally {
      process.off('warning', onWarning);
    }
    // Its record is left for the new owner: still marked as starting, never as failed.
    const stored = JSON.parse(await readFile(join(dir, `${queued}.json`), 'utf8')) as { status: string };
    expect(stored.status).toBe('running');
    await engine.shutdown({ graceMs: 0 });
    expect(await readFile(join(dir, 'journal.lock'), 'utf8')).toBe(foreign);
  });
});
