import { afterEach, describe, expect, test } from 'vitest';
import { ExecutionEngine, shell } from '../../src/index.js';
import { readRecord, shutDownEngines, trackEngine } from './helpers/engines.js';
import { waitFor } from './helpers/processes.js';
import { makeTempDir, removeTempDirs } from './helpers/temp-dir.js';

afterEach(async () => {
  await shutDownEngines();
  await removeTempDirs();
});

describe('request options in the journal', () => {
  test('per-request kill settings are recorded, the signal never; no timeout means no deadline', async () => {
    const dir = await makeTempDir();
    const engine = new ExecutionEngine({ journal: { dir }, maxTimeoutMs: Number.POSITIVE_INFINITY });
    trackEngine(engine);
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
