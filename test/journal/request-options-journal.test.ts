import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { ExecutionEngine, type JournalRecord, shell } from '../../src/index.js';
import { waitFor } from './helpers/processes.js';
import { makeTempDir, removeTempDirs } from './helpers/temp-dir.js';

const engines: ExecutionEngine[] = [];

afterEach(async () => {
  await Promise.all(engines.splice(0).map((engine) => engine.shutdown({ graceMs: 0 })));
  await removeTempDirs();
});

const readRecord = async (dir: string, id: string) =>
  JSON.parse(await readFile(join(dir, `${id}.json`), 'utf8')) as JournalRecord;

describe('request options in the journal', () => {
  test('per-request kill settings are recorded, the signal never; no timeout means no deadline', async () => {
    const dir = await makeTempDir();
    const engine = new ExecutionEngine({ journal: { dir }, maxTimeoutMs: Number.POSITIVE_INFINITY });
    engines.push(engine);
    const result = await engine.run({
      command: shell('sleep 0.2'),
      timeoutMs: 0,
      killSignal: 'SIGINT',
      killGraceMs: 250,
      signal: new AbortController().signal,
    });
    await waitFor(async () => (await readRecord(dir, result.id)).status === 'completed');
    const record = await readRecord(dir, result.id);
    expect(record.request).toMatchObject({ timeoutMs: 0, killSignal: 'SIGINT', killGraceMs: 250 });
    expect(record.request).not.toHaveProperty('signal');
    expect(record.startedAt).toBeDefined();
    expect(record).not.toHaveProperty('deadline');
  });
});
