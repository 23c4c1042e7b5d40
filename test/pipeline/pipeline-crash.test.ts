import { existsSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { ExecutionEngine } from '../../src/index.js';
import { shutDownEngines, trackEngine } from '../journal/helpers/engines.js';
import { killHostWhen } from '../journal/helpers/host.js';
import { makeTempDir, removeTempDirs } from '../journal/helpers/temp-dir.js';

afterEach(async () => {
  await shutDownEngines();
  await removeTempDirs();
});

/** The lines a step appended to its mark file (one per run). */
function runs(marks: string, step: string): string[] {
  const file = join(marks, step);
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : [];
}

describe('a host SIGKILLed in the middle of a diamond pipeline', () => {
  test('a new host resumes it: a is not rerun, b is adopted with its real exit, c and d run once', async () => {
    const journal = await makeTempDir('pipeline-journal-');
    const marks = await makeTempDir('pipeline-marks-');
    await killHostWhen(
      'pipeline-host.ts',
      [journal, marks, 'plain'],
      (line) => line === 'started diamond.b',
      async () => {
        // b's process exists and has written its mark: the host dies while b runs.
        for (let i = 0; i < 100 && runs(marks, 'b').length === 0; i++)
          await new Promise((r) => setTimeout(r, 20));
      },
    );
    const engine = trackEngine(new ExecutionEngine({ journal: { dir: journal } }));
    const report = await engine.recover();
    expect(report.pipelines).toEqual([{ id: 'diamond', outcome: 'resumed' }]);
    expect(report.executions).toContainEqual({ id: 'diamond.b', classification: 'adopted' });
    expect(engine.getPipeline('diamond').status).toBe('running');
    await writeFile(join(marks, 'release'), '42');
    const result = await engine.waitForPipeline('diamond', { timeoutMs: 20_000 });
    expect(result.status).toBe('completed');
    expect(result.success).toBe(false); // b exited 3 ('continue')
    expect(result.results.b).toMatchObject({ status: 'completed', exitCode: 3, outputs: { tag: 'v-42' } });
    expect(result.steps.map((step) => [step.key, step.status])).toEqual([
      ['a', 'completed'],
      ['b', 'completed'],
      ['c', 'completed'],
      ['d', 'completed'],
    ]);
    expect(runs(marks, 'a')).toHaveLength(1);
    expect(runs(marks, 'b')).toHaveLength(1);
    expect(runs(marks, 'c')).toHaveLength(1);
    // d got b's output, written after the crash, through its placeholder.
    expect(runs(marks, 'd')).toEqual(['d v-42']);
  });

  test('a pipeline with a function step cannot be resumed: it ends failed, its unfinished steps cancelled with LOST', async () => {
    const journal = await makeTempDir('pipeline-journal-');
    const marks = await makeTempDir('pipeline-marks-');
    await killHostWhen(
      'pipeline-host.ts',
      [journal, marks, 'function'],
      (line) => line === 'started fn.b',
      async () => {
        for (let i = 0; i < 100 && runs(marks, 'b').length === 0; i++)
          await new Promise((r) => setTimeout(r, 20));
      },
    );
    const engine = trackEngine(new ExecutionEngine({ journal: { dir: journal } }));
    const report = await engine.recover();
    expect(report.pipelines).toEqual([{ id: 'fn', outcome: 'lost' }]);
    const result = await engine.waitForPipeline('fn', { timeoutMs: 10_000 });
    expect(result.status).toBe('failed');
    const byKey = Object.fromEntries(result.steps.map((step) => [step.key, step]));
    expect(byKey.a?.status).toBe('completed');
    for (const key of ['b', 'd']) {
      expect(byKey[key]).toMatchObject({ status: 'cancelled', error: { code: 'LOST' } });
    }
    // c may have run before b took the one slot; if not, it never runs.
    if (byKey.c?.status === 'completed') expect(runs(marks, 'c')).toHaveLength(1);
    else expect(byKey.c).toMatchObject({ status: 'cancelled', error: { code: 'LOST' } });
    // b's process (adopted) is stopped, and d never runs.
    expect((await engine.waitForCompletion('fn.b', { timeoutMs: 10_000 })).status).toBe('cancelled');
    await new Promise((resolve) => setTimeout(resolve, 200));
    if (byKey.c?.status !== 'completed') expect(runs(marks, 'c')).toEqual([]);
    expect(runs(marks, 'd')).toEqual([]);
    expect(engine.listPipelines({ status: 'failed' }).map((p) => p.id)).toEqual(['fn']);
  });
});
