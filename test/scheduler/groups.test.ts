import { describe, expect, test } from 'vitest';
import { type ExecutionEngine, exec } from '../../src/index.js';
import { createEngine } from '../helpers/engine.js';

/** Resolves once `count` executions have started, with their ids in start order. */
function starts(engine: ExecutionEngine, count: number): Promise<string[]> {
  const ids: string[] = [];
  return new Promise((resolve) => {
    engine.on('started', (event) => {
      ids.push(event.executionId);
      if (ids.length === count) resolve(ids);
    });
  });
}

describe('groups', () => {
  test("a group's maxConcurrent caps it further while other groups and ungrouped work start", async () => {
    const engine = createEngine({ maxConcurrentExecutions: 10, groups: { a: { maxConcurrent: 2 } } });
    const ids: string[] = [];
    for (let i = 0; i < 5; i++)
      ids.push(await engine.execute({ command: exec('sleep', ['30']), group: 'a' }));
    const other = await engine.execute({ command: exec('sleep', ['30']), group: 'b' });
    const plain = await engine.execute({ command: exec('sleep', ['30']) });
    expect(ids.map((id) => engine.getStatus(id))).toEqual([
      'running',
      'running',
      'queued',
      'queued',
      'queued',
    ]);
    expect([engine.getStatus(other), engine.getStatus(plain)]).toEqual(['running', 'running']);
    expect(engine.stats()).toMatchObject({
      running: 4,
      queued: 3,
      groups: { a: { queued: 3, running: 2 }, b: { queued: 0, running: 1 } },
    });
    const third = starts(engine, 1);
    await engine.cancel(ids[0]!);
    expect(await third).toEqual([ids[2]]);
    expect(engine.stats().groups.a).toEqual({ queued: 2, running: 2 });
  });

  test('stats().groups lists groups with work only and forgets a group once it is idle', async () => {
    const engine = createEngine({ maxConcurrentExecutions: 1 });
    expect(engine.stats().groups).toEqual({});
    const first = await engine.execute({ command: exec('sleep', ['30']), group: 'tenant-1' });
    const second = await engine.execute({ command: exec('true'), group: 'tenant-2' });
    expect(engine.stats().groups).toEqual({
      'tenant-1': { queued: 0, running: 1 },
      'tenant-2': { queued: 1, running: 0 },
    });
    await engine.cancel(first);
    await engine.waitForCompletion(second);
    expect(engine.stats().groups).toEqual({});
  });

  test("a group's minStartIntervalMs paces its starts; other groups start meanwhile", async () => {
    const engine = createEngine({ groups: { api: { minStartIntervalMs: 200 } } });
    const at = new Map<string, number>();
    engine.on('started', (event) => at.set(event.executionId, performance.now()));
    const all = starts(engine, 5);
    const api = [];
    for (let i = 0; i < 3; i++) api.push(await engine.execute({ command: exec('true'), group: 'api' }));
    const others = [];
    for (let i = 0; i < 2; i++) others.push(await engine.execute({ command: exec('true'), group: 'other' }));
    await all;
    // The others did not wait for api's interval; api's starts are spaced (the events of a busy
    // machine may come a little late, never early by more than that).
    for (const id of others) expect(at.get(id)!).toBeLessThan(at.get(api[1]!)!);
    expect(at.get(api[1]!)! - at.get(api[0]!)!).toBeGreaterThanOrEqual(150);
    expect(at.get(api[2]!)! - at.get(api[1]!)!).toBeGreaterThanOrEqual(150);
  });

  test('defaultGroupLimits apply to groups not listed in groups', async () => {
    const engine = createEngine({
      defaultGroupLimits: { maxConcurrent: 1 },
      groups: { vip: { maxConcurrent: 3 } },
    });
    for (const group of ['vip', 'vip', 'vip', 'x', 'x']) {
      await engine.execute({ command: exec('sleep', ['30']), group });
    }
    expect(engine.stats().groups).toEqual({ vip: { queued: 0, running: 3 }, x: { queued: 1, running: 1 } });
  });

  test("'reject' mode refuses an execution whose group is at its cap, with the group's limit", async () => {
    const engine = createEngine({ onConcurrencyLimit: 'reject', groups: { a: { maxConcurrent: 1 } } });
    await engine.execute({ command: exec('sleep', ['30']), group: 'a' });
    await expect(engine.execute({ id: 'refused', command: exec('true'), group: 'a' })).rejects.toMatchObject({
      code: 'CONCURRENCY_LIMIT_REACHED',
      limit: 1,
    });
    expect(() => engine.getStatus('refused')).toThrow();
    await expect(engine.run({ command: exec('true'), group: 'b' })).resolves.toMatchObject({ success: true });
  });

  test('fairness: tenant B starts all of its 10 while tenant A still has hundreds of its 1,000 waiting', async () => {
    const engine = createEngine({ maxConcurrentExecutions: 4, maxInMemoryExecutions: 2000 });
    for (let i = 0; i < 1000; i++) await engine.execute({ command: exec('sleep', ['0.05']), group: 'a' });
    const waitingOfA: number[] = [];
    engine.on('started', (event) => {
      if (engine.getExecution(event.executionId).group === 'b')
        waitingOfA.push(engine.stats().groups.a!.queued);
    });
    const b: string[] = [];
    for (let i = 0; i < 10; i++)
      b.push(await engine.execute({ command: exec('sleep', ['0.05']), group: 'b' }));
    await Promise.all(b.map((id) => engine.waitForCompletion(id)));
    expect(waitingOfA).toHaveLength(10);
    // Round robin: each of B's starts comes after at most one more start of A.
    for (const waiting of waitingOfA) expect(waiting).toBeGreaterThan(900);
    await engine.shutdown({ graceMs: 0 });
    expect(engine.stats()).toMatchObject({ queued: 0, running: 0, groups: {} });
  });
});
