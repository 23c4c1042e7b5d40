import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { ExecutionEngine, type StartedEvent } from '../../src/index.js';
import { eventually } from '../helpers/processes.js';
import { runsOf } from '../helpers/retry.js';
import { readRecord, shutDownEngines, trackEngine } from '../journal/helpers/engines.js';
import { killHostWhen } from '../journal/helpers/host.js';

const dirs: string[] = [];

afterEach(async () => {
  await shutDownEngines();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A journal directory and a counter file for `fail-times.js`, removed after the test. */
function place(): { journal: string; counter: string } {
  const journal = mkdtempSync(join(tmpdir(), 'ee-retry-journal-'));
  const marks = mkdtempSync(join(tmpdir(), 'ee-retry-marks-'));
  dirs.push(journal, marks);
  return { journal, counter: join(marks, 'runs') };
}

/** The status in a record file as stored now (`undefined` while it cannot be read). */
function recordStatus(journal: string, id: string): string | undefined {
  try {
    return (JSON.parse(readFileSync(join(journal, `${id}.json`), 'utf8')) as { status: string }).status;
  } catch {
    return undefined;
  }
}

/** A new host on the same journal, with every `started` event it emits. */
function recoverOn(journal: string): { engine: ExecutionEngine; started: StartedEvent[] } {
  const engine = trackEngine(new ExecutionEngine({ journal: { dir: journal }, killGraceMs: 300 }));
  const started: StartedEvent[] = [];
  engine.on('started', (event) => started.push(event));
  return { engine, started };
}

describe('retries across a host crash', () => {
  test('killed while waiting for a retry: the count and the next start survive; it goes on after the wait', async () => {
    const { journal, counter } = place();
    const args = [journal, counter, '5', 'exit:1', '3', '1500'];
    // Killed once the wait is journaled (the write follows the event by a moment).
    const journaled = () => eventually(() => recordStatus(journal, 'job') === 'queued');
    await killHostWhen('retry-host.ts', args, (line) => line === 'retrying 2 1500', journaled);
    const stored = await readRecord(journal, 'job');
    expect(stored.status).toBe('queued');
    expect(stored.attempts).toMatchObject([{ number: 1, exitCode: 1, status: 'completed' }]);
    const nextAttemptAt = stored.nextAttemptAt as number;
    expect(nextAttemptAt).toBeGreaterThan(Date.parse(stored.attempts?.[0]?.completedAt ?? ''));

    const { engine, started } = recoverOn(journal);
    expect((await engine.recover()).executions).toEqual([{ id: 'job', classification: 'requeued' }]);
    expect(engine.getExecution('job')).toMatchObject({ status: 'queued', attempts: [{ attempt: 1 }] });
    const result = await engine.waitForCompletion('job', { timeoutMs: 20_000 });
    // Attempts 2 and 3 ran here, after the wait the dead host had begun: three runs in all.
    expect(started.map((event) => event.attempt)).toEqual([2, 3]);
    expect(result.attempts[1]?.startedAt?.getTime()).toBeGreaterThanOrEqual(nextAttemptAt - 5);
    expect(result.attempts.map((attempt) => attempt.attempt)).toEqual([1, 2, 3]);
    expect(result).toMatchObject({ status: 'completed', exitCode: 1, stdout: 'attempt 3' });
    expect(runsOf(counter)).toBe(3);
  }, 60_000);

  test('killed mid-attempt: the running attempt is adopted, then retried since attempts remain', async () => {
    const { journal, counter } = place();
    const args = [journal, counter, '1', 'late:1000', '2', '100'];
    const lines = await killHostWhen('retry-host.ts', args, (line) => line === 'stdout attempt 1');
    const firstPid = Number(lines.find((line) => line.startsWith('started 1 '))?.split(' ')[2]);

    const { engine, started } = recoverOn(journal);
    const report = await engine.recover();
    expect(['adopted', 'finishedWhileDown']).toContain(report.executions[0]?.classification);
    const result = await engine.waitForCompletion('job', { timeoutMs: 20_000 });
    expect(result).toMatchObject({ status: 'completed', exitCode: 0, stdout: 'attempt 2' });
    expect(result.attempts).toMatchObject([
      { attempt: 1, pid: firstPid, exitCode: 1 },
      { attempt: 2, exitCode: 0 },
    ]);
    expect(started.map((event) => event.attempt)).toEqual([2]);
    expect(runsOf(counter)).toBe(2);
  }, 60_000);

  test('killed during the last attempt: it is adopted and never run again', async () => {
    const { journal, counter } = place();
    const args = [journal, counter, '5', 'late:800', '2', '50'];
    await killHostWhen('retry-host.ts', args, (line) => line === 'stdout attempt 2');

    const { engine, started } = recoverOn(journal);
    await engine.recover();
    const result = await engine.waitForCompletion('job', { timeoutMs: 20_000 });
    expect(result).toMatchObject({ status: 'completed', exitCode: 1, stdout: 'attempt 2' });
    expect(result.attempts.map((attempt) => attempt.exitCode)).toEqual([1, 1]);
    expect(started).toEqual([]);
    expect(runsOf(counter)).toBe(2);
    // The terminal record keeps every attempt, and a later host restores them.
    await engine.shutdown();
    const stored = await readRecord(journal, 'job');
    expect(stored.attempts?.map((attempt) => attempt.status)).toEqual(['completed', 'completed']);
    const later = recoverOn(journal).engine;
    await later.recover();
    expect(later.getResult('job')?.attempts).toHaveLength(2);
  }, 60_000);
});
