import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { ExecutionEngine, shell } from '../../src/index.js';
import { readRecord, shutDownEngines, trackEngine } from '../journal/helpers/engines.js';
import { makeTempDir, removeTempDirs } from '../journal/helpers/temp-dir.js';

afterEach(async () => {
  await shutDownEngines();
  await removeTempDirs();
});

describe('a pipeline with a journal', () => {
  test('is recorded in <dir>/pipelines/<id>.json (0600); step outputs are kept in the step records', async () => {
    const dir = await makeTempDir('pipeline-journal-');
    const engine = trackEngine(new ExecutionEngine({ journal: { dir }, executionRetentionMs: 1 }));
    await engine.runPipeline({
      id: 'rel',
      steps: [
        { key: 'build', request: { command: shell('echo "version=7" >> "$EXECUTION_OUTPUT"') } },
        {
          key: 'ship',
          dependsOn: ['build'],
          request: { command: shell('echo "$V"'), env: { V: '${{ steps.build.outputs.version }}' } },
        },
      ],
    });
    const file = join(dir, 'pipelines', 'rel.json');
    await engine.shutdown();
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'pipelines')).mode & 0o777).toBe(0o700);
    const stored = JSON.parse(readFileSync(file, 'utf8'));
    expect(stored).toMatchObject({ id: 'rel', status: 'completed', resumable: true });
    expect(stored.steps[1]).toMatchObject({ key: 'ship', status: 'completed', succeeded: true });
    // The placeholder is stored as written; the step's execution record has the value it ran with.
    expect(stored.steps[1].request.env).toEqual({ V: '${{ steps.build.outputs.version }}' });
    expect((await readRecord(dir, 'rel.build')).outputs).toEqual({ version: '7' });
    expect((await readRecord(dir, 'rel.ship')).request.env).toEqual({ V: '7' });
    expect(existsSync(join(dir, 'rel.build.output'))).toBe(false);

    // A restarted engine restores the ended pipeline; retention removes it with its records.
    const next = trackEngine(new ExecutionEngine({ journal: { dir }, executionRetentionMs: 1 }));
    expect((await next.recover()).pipelines).toEqual([]);
    expect(next.getPipeline('rel')).toMatchObject({ status: 'completed' });
    const result = await next.waitForPipeline('rel');
    expect(result.results.build?.outputs).toEqual({ version: '7' });
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(next.cleanup()).toBe(2);
    await next.shutdown();
    expect(existsSync(file)).toBe(false);
    expect(existsSync(join(dir, 'rel.build.json'))).toBe(false);
  });
});
