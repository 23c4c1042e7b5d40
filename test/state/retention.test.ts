import { describe, expect, test } from 'vitest';
import { exec } from '../../src/index.js';
import { createEngine } from '../helpers/engine.js';
import { eventually } from '../helpers/processes.js';

describe('retention', () => {
  test('cleanup removes terminal executions older than executionRetentionMs, never live ones', async () => {
    const engine = createEngine({ executionRetentionMs: 1500 });
    const done = [await engine.run({ command: exec('true') }), await engine.run({ command: exec('true') })];
    const running = await engine.execute({ command: exec('sleep', ['5']) });
    expect(engine.cleanup()).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 1600));
    expect(engine.cleanup()).toBe(2);
    expect(engine.list().map((s) => s.id)).toEqual([running]);
    expect(() => engine.getStatus(done[0]!.id)).toThrow(/No execution/);
  });

  test('beyond maxInMemoryExecutions the oldest terminal executions are removed first', async () => {
    const engine = createEngine({ maxInMemoryExecutions: 2 });
    const running = await engine.execute({ command: exec('sleep', ['5']) });
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) ids.push((await engine.run({ command: exec('true') })).id);
    expect(engine.list().map((s) => s.id)).toEqual([running, ids[2], ids[3]]);
    expect(engine.stats()).toMatchObject({ retained: 3, completed: 4 });
  });

  test('auto cleanup runs on its interval', async () => {
    const engine = createEngine({ enableAutoCleanup: true, cleanupIntervalMs: 50, executionRetentionMs: 50 });
    const { id } = await engine.run({ command: exec('true') });
    expect(await eventually(() => engine.list().length === 0, 3000)).toBe(true);
    expect(engine.removeExecution(id)).toBe(false);
  });

  test('cleanup returns 0 when nothing is past retention', async () => {
    const engine = createEngine();
    await engine.run({ command: exec('true') });
    expect(engine.cleanup()).toBe(0);
    expect(engine.stats().retained).toBe(1);
  });
});
