import { cp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, test } from 'vitest';
import { ExecutionEngine, type ExecutionEvent } from '../../src/index.js';
import { readBootId } from '../../src/journal/proc-info.js';
import { shutDownEngines, trackEngine } from './helpers/engines.js';
import { makeTempDir, removeTempDirs } from './helpers/temp-dir.js';

// A journal directory written by the engine before records carried attempts (record version 1):
// one execution completed, one whose host was SIGKILLed while it ran and which then exited 3 by
// itself, one still queued. Upgrades must keep recovering such directories.
const FIXTURE = fileURLToPath(new URL('./fixtures/journal-v1', import.meta.url));

afterEach(async () => {
  await shutDownEngines();
  await removeTempDirs();
});

/** A copy of the fixture; the running record gets this machine's boot id (else it is, rightly, `rebooted`). */
async function fixtureCopy(): Promise<string> {
  const dir = await makeTempDir();
  await cp(FIXTURE, dir, { recursive: true });
  const path = join(dir, 'finished-while-down.json');
  const record = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
  record.bootId = await readBootId();
  await writeFile(path, JSON.stringify(record, null, 2));
  return dir;
}

describe('a journal written by an earlier version (records without attempts)', () => {
  test('recovers every execution with its real outcome and output', async () => {
    const dir = await fixtureCopy();
    const engine = new ExecutionEngine({ journal: { dir }, enableAutoCleanup: false });
    trackEngine(engine);
    const events: ExecutionEvent[] = [];
    engine.on('event', (event) => events.push(event));
    const report = await engine.recover();
    expect(report.unreadable).toEqual([]);
    expect(new Map(report.executions.map((e) => [e.id, e.classification]))).toEqual(
      new Map([
        ['finished-while-down', 'finishedWhileDown'],
        ['queued', 'requeued'],
      ]),
    );

    expect(engine.getResult('done')).toMatchObject({
      status: 'completed',
      exitCode: 0,
      stdout: 'hello',
      stderr: 'warn',
      metadata: { team: 'a' },
    });
    expect(engine.getResult('done')?.startedAt).toEqual(new Date('2026-12-01T15:04:06.546Z'));

    const finished = engine.getResult('finished-while-down');
    expect(finished).toMatchObject({ status: 'completed', exitCode: 3, success: false });
    expect(finished?.stdout).toBe('started\nfinishing');
    expect(finished?.pid).toBe(28121);

    const queued = await engine.waitForCompletion('queued');
    expect(queued).toMatchObject({ status: 'completed', exitCode: 0, stdout: 'later' });
    const types = events.filter((e) => e.executionId === 'queued').map((e) => e.type);
    expect(types).toEqual(['recovered', 'started', 'stdout', 'completed']);

    // Records this engine rewrites are upgraded: the one attempt of a version 1 record is kept.
    await engine.shutdown();
    const read = async (id: string) =>
      JSON.parse(await readFile(join(dir, `${id}.json`), 'utf8')) as {
        version: number;
        attempts?: unknown[];
      };
    const upgraded = await read('finished-while-down');
    expect(upgraded.version).toBe(2);
    expect(upgraded.attempts).toEqual([
      expect.objectContaining({ number: 1, pid: 28121, startedAt: '2026-12-01T15:04:06.556Z' }),
    ]);
    expect((await read('queued')).attempts).toEqual([expect.objectContaining({ number: 1, exitCode: 0 })]);
    expect((await read('done')).version).toBe(1); // never rewritten: left as it was
  });
});
