import { afterEach, describe, expect, test } from 'vitest';
import { ExecutionEngine, shell } from '../../src/index.js';
import { readBootId } from '../../src/journal/proc-info.js';
import { readRecord, shutDownEngines, trackEngine } from './helpers/engines.js';
import { waitFor } from './helpers/processes.js';
import { makeTempDir, removeTempDirs } from './helpers/temp-dir.js';

afterEach(async () => {
  await shutDownEngines();
  await removeTempDirs();
});

describe('journal records carry attempts', () => {
  test('a finished execution records its one attempt: pid, process start time, boot, times, exit', async () => {
    const dir = await makeTempDir();
    const engine = new ExecutionEngine({ journal: { dir }, enableAutoCleanup: false });
    trackEngine(engine);
    // Alive long enough for its process start time to be read (a process gone at once has none).
    const result = await engine.run({ command: shell('sleep 0.3') });
    await waitFor(async () => (await readRecord(dir, result.id)).status === 'completed');
    const record = await readRecord(dir, result.id);
    expect(record.version).toBe(2);
    expect(record.attempts).toHaveLength(1);
    const [attempt] = record.attempts ?? [];
    expect(attempt).toMatchObject({
      number: 1,
      pid: result.pid,
      startedAt: result.startedAt?.toISOString(),
      completedAt: result.completedAt.toISOString(),
      exitCode: 0,
      signal: null,
      bootId: await readBootId(),
    });
    expect(attempt?.procStartTime).toMatch(/^\d+$/);
    // The top-level fields stay the latest attempt's, for readers of the first format.
    expect(record).toMatchObject({ pid: result.pid, exitCode: 0, procStartTime: attempt?.procStartTime });
  });

  test('an execution cancelled while queued has no attempt', async () => {
    const dir = await makeTempDir();
    const engine = new ExecutionEngine({ journal: { dir }, maxConcurrentExecutions: 1, killGraceMs: 100 });
    trackEngine(engine);
    const blocker = await engine.execute({ command: shell('sleep 30') });
    const queued = await engine.execute({ command: shell('true') });
    await engine.cancel(queued);
    await waitFor(async () => (await readRecord(dir, queued)).status === 'cancelled');
    expect((await readRecord(dir, queued)).attempts).toBeUndefined();
    await engine.cancel(blocker);
  });
});
