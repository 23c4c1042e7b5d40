import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { ExecutionEngine, type RecoveryReport } from '../../src/index.js';
import { fixture } from '../helpers/fixtures.js';
import { eventually as waitFor } from '../helpers/processes.js';

const STRESS = process.env.STRESS === '1';
const dirs: string[] = [];
const engines: ExecutionEngine[] = [];

afterEach(async () => {
  await Promise.all(engines.splice(0).map((engine) => engine.shutdown({ graceMs: 0 })));
  for (const dir of dirs.splice(0)) {
    // Orphans of executions recovery could not account for carry the dir in their arguments.
    try {
      execFileSync('pkill', ['-KILL', '-f', dir]);
    } catch {
      // none left
    }
    rmSync(dir, { recursive: true, force: true });
  }
});

/** When to kill the host: after that many lines of its output, or once a line matches. */
type KillWhen = number | ((lines: string[]) => boolean);

/** Starts the crash host and SIGKILLs it when `when` says; returns the ids it had queued. */
async function crashHost(journal: string, marks: string, count: number, when: KillWhen): Promise<string[]> {
  const host = spawn(
    process.execPath,
    ['--import', 'tsx', fixture('crash-host.ts'), journal, marks, String(count)],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const queued: string[] = [];
  let text = '';
  await new Promise<void>((resolve) => {
    host.stdout.on('data', (chunk: Buffer) => {
      text += String(chunk);
      const lines = text.split('\n').slice(0, -1);
      for (const line of lines.slice(queued.length))
        if (line.startsWith('queued ')) queued.push(line.slice(7));
      if (typeof when === 'number' ? lines.length >= when : when(lines)) resolve();
    });
    host.on('exit', () => resolve());
  });
  host.kill('SIGKILL');
  await once(host, 'exit').catch(() => {});
  return queued;
}

function startRuns(marks: string, id: string): number {
  try {
    return readFileSync(join(marks, id), 'utf8').split('\n').filter(Boolean).length;
  } catch {
    return 0;
  }
}

async function crashAndRecover(
  count: number,
  afterLines: KillWhen,
  beforeRecovery: (journal: string) => Promise<void> = async () => {},
): Promise<RecoveryReport> {
  const journal = mkdtempSync(join(tmpdir(), 'ee-journal-'));
  const marks = mkdtempSync(join(tmpdir(), 'ee-marks-'));
  dirs.push(journal, marks);
  const queued = await crashHost(journal, marks, count, afterLines);
  await beforeRecovery(journal);
  const engine = new ExecutionEngine({ journal: { dir: journal }, killGraceMs: 300 });
  engines.push(engine);
  const report = await engine.recover();
  expect(report.unreadable).toEqual([]);
  const seen = new Set(report.executions.map((e) => e.id));
  expect(seen.size).toBe(report.executions.length); // each accounted for once
  for (const id of queued) {
    const result = await engine.waitForCompletion(id, { timeoutMs: 20_000 });
    const i = Number(id.slice(4));
    if (result.status === 'failed' && result.error?.code === 'LOST') {
      // Killed between the durable "starting" mark and the pid record: never run twice.
      expect(startRuns(marks, id)).toBeLessThanOrEqual(1);
      continue;
    }
    expect(result.status).toBe('completed');
    expect(result.exitCode).toBe(i % 4);
    expect(result.stdout).toBe(['line 0', 'line 1', 'line 2', 'line 3', 'line 4', 'line 5'].join('\n'));
    expect(startRuns(marks, id)).toBe(1);
  }
  return report;
}

const classes = (report: RecoveryReport) =>
  Object.fromEntries(report.executions.map((e) => [e.id, e.classification]));

describe('crash recovery', () => {
  test('a host killed after queuing everything: running jobs are adopted and end with their real exit code', async () => {
    const settled = (lines: string[]) =>
      ['all queued', 'started job-0', 'started job-1'].every((line) => lines.includes(line));
    const report = await crashAndRecover(4, settled);
    // Two run at a time: jobs 0 and 1 had started (still running, or done by now on a busy
    // machine), 2 and 3 were still queued.
    const found = classes(report);
    for (const id of ['job-0', 'job-1']) expect(['adopted', 'finishedWhileDown']).toContain(found[id]);
    expect([found['job-2'], found['job-3']]).toEqual(['requeued', 'requeued']);
  }, 60_000);

  test('jobs that finished while no host was running end with their real exit code and full output', async () => {
    const bothStarted = (lines: string[]) =>
      ['started job-0', 'started job-1'].every((l) => lines.includes(l));
    const report = await crashAndRecover(2, bothStarted, async (journal) => {
      const exits = ['job-0.exit', 'job-1.exit'].map((name) => join(journal, name));
      await waitFor(() => exits.every((file) => existsSync(file)));
    });
    expect(classes(report), JSON.stringify(report)).toEqual({
      'job-0': 'finishedWhileDown',
      'job-1': 'finishedWhileDown',
    });
  }, 60_000);

  test.each([1, 2, 3, 4])(
    'a host killed at a random moment (run %i): every execution is accounted for exactly once',
    async () => {
      await crashAndRecover(5, 1 + Math.floor(Math.random() * 6));
    },
    60_000,
  );

  test.skipIf(!STRESS)(
    'stress: 50 crashes at random moments',
    async () => {
      for (let i = 0; i < 50; i++) await crashAndRecover(5, 1 + Math.floor(Math.random() * 6));
    },
    600_000,
  );
});
