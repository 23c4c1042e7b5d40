import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { ExecutionEngine, exec } from '../../src/index.js';
import { JOURNAL_RECORD_VERSION } from '../../src/journal/journal-types.js';
import { readRecord, shutDownEngines, trackEngine } from './helpers/engines.js';
import { waitFor } from './helpers/processes.js';
import { makeRecord, type RecordOverrides } from './helpers/records.js';
import { makeTempDir, removeTempDirs } from './helpers/temp-dir.js';

afterEach(async () => {
  await shutDownEngines();
  await removeTempDirs();
});

/** Writes a queued record of `sleep 30` as a dead host left it. */
async function writeQueued(dir: string, id: string, overrides: RecordOverrides): Promise<void> {
  const record = makeRecord({
    version: JOURNAL_RECORD_VERSION,
    id,
    command: { file: '/bin/sleep', args: ['30'] },
    createdAt: new Date().toISOString(),
    ...overrides,
  });
  record.request = { ...record.request, command: { type: 'exec', program: 'sleep', args: ['30'] } };
  await writeFile(join(dir, `${id}.json`), JSON.stringify(record));
}

describe('admission fields in the journal', () => {
  test('priority, group and queueTimeoutMs are recorded with the request', async () => {
    const dir = await makeTempDir();
    const engine = trackEngine(new ExecutionEngine({ journal: { dir }, maxConcurrentExecutions: 1 }));
    await engine.execute({ command: exec('sleep', ['30']) });
    const id = await engine.execute({
      command: exec('true'),
      priority: 4,
      group: 'tenant-a',
      queueTimeoutMs: 60_000,
    });
    expect((await readRecord(dir, id)).request).toMatchObject({
      priority: 4,
      group: 'tenant-a',
      queueTimeoutMs: 60_000,
    });
  });

  test('a recovered queued execution keeps its priority and group, and starts by priority', async () => {
    const dir = await makeTempDir();
    const older = new Date(Date.now() - 1000).toISOString();
    await writeQueued(dir, 'low', { createdAt: older, request: { priority: -1, group: 'a' } as never });
    await writeQueued(dir, 'high', { request: { priority: 5, group: 'b', queueTimeoutMs: 60_000 } as never });
    const engine = trackEngine(
      new ExecutionEngine({ journal: { dir }, maxConcurrentExecutions: 1, enableAutoCleanup: false }),
    );
    await engine.recover();
    expect(engine.getExecution('high')).toMatchObject({ status: 'running', priority: 5, group: 'b' });
    expect(engine.getExecution('low')).toMatchObject({ status: 'queued', priority: -1, group: 'a' });
    expect(engine.stats().groups).toEqual({ a: { queued: 1, running: 0 }, b: { queued: 0, running: 1 } });
    expect((await readRecord(dir, 'low')).request).toMatchObject({ priority: -1, group: 'a' });
  });

  test('a queued execution whose queue timeout passed while no host ran expires, it never starts', async () => {
    const dir = await makeTempDir();
    const createdAt = new Date(Date.now() - 10_000).toISOString();
    await writeQueued(dir, 'stale', { createdAt, request: { queueTimeoutMs: 5000 } as never });
    const engine = trackEngine(new ExecutionEngine({ journal: { dir }, enableAutoCleanup: false }));
    const report = await engine.recover();
    expect(report.executions).toEqual([{ id: 'stale', classification: 'requeued' }]);
    const result = await engine.waitForCompletion('stale');
    expect(result).toMatchObject({ status: 'failed', error: { code: 'EXPIRED' } });
    expect(result.startedAt).toBeUndefined();
    await waitFor(async () => (await readRecord(dir, 'stale')).status === 'failed');
    expect(await readRecord(dir, 'stale')).toMatchObject({ error: { code: 'EXPIRED' } });
  });
});
