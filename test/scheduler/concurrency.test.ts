import { describe, expect, test } from 'vitest';
import {
  ConcurrencyLimitReachedError,
  type ExecutionEvent,
  exec,
  isTerminalEvent,
  type QueuedEvent,
} from '../../src/index.js';
import { createEngine } from '../helpers/engine.js';

describe('concurrency', () => {
  test('queued executions start in submission order as slots free up', async () => {
    const engine = createEngine({ maxConcurrentExecutions: 1 });
    const started: string[] = [];
    const positions: number[] = [];
    engine.on('started', (event) => started.push(event.executionId));
    engine.on('queued', (event: QueuedEvent) => positions.push(event.position));
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push(await engine.execute({ command: exec('sleep', ['0.05']) }));
    expect(ids.slice(1).map((id) => engine.getStatus(id))).toEqual(['queued', 'queued', 'queued', 'queued']);
    expect(positions).toEqual([1, 2, 3, 4]);
    await Promise.all(ids.map((id) => engine.waitForCompletion(id)));
    expect(started).toEqual(ids);
  });

  test('never more than maxConcurrentExecutions run at once', async () => {
    const engine = createEngine({ maxConcurrentExecutions: 3 });
    let running = 0;
    let peak = 0;
    engine.on('event', (event: ExecutionEvent) => {
      if (event.type === 'started') peak = Math.max(peak, ++running);
      if (isTerminalEvent(event)) running--;
    });
    const ids = await Promise.all(
      Array.from({ length: 12 }, () => engine.execute({ command: exec('sleep', ['0.05']) })),
    );
    expect(engine.stats()).toMatchObject({ running: 3, queued: 9 });
    await Promise.all(ids.map((id) => engine.waitForCompletion(id)));
    expect(peak).toBe(3);
    expect(engine.stats()).toMatchObject({ running: 0, queued: 0, completed: 12 });
  });

  test('reject mode refuses work beyond the limit and registers nothing', async () => {
    const engine = createEngine({ maxConcurrentExecutions: 1, onConcurrencyLimit: 'reject' });
    const first = await engine.execute({ command: exec('sleep', ['5']) });
    const attempt = engine.execute({ id: 'refused', command: exec('true') });
    await expect(attempt).rejects.toBeInstanceOf(ConcurrencyLimitReachedError);
    await expect(attempt).rejects.toMatchObject({ code: 'CONCURRENCY_LIMIT_REACHED', limit: 1 });
    expect(engine.list().map((s) => s.id)).toEqual([first]);
    await engine.cancel(first);
    await expect(engine.run({ command: exec('true') })).resolves.toMatchObject({ success: true });
  });

  test('maxQueuedExecutions bounds the queue', async () => {
    const engine = createEngine({ maxConcurrentExecutions: 1, maxQueuedExecutions: 2 });
    await engine.execute({ command: exec('sleep', ['5']) });
    await engine.execute({ command: exec('true') });
    await engine.execute({ command: exec('true') });
    await expect(engine.execute({ command: exec('true') })).rejects.toMatchObject({
      code: 'CONCURRENCY_LIMIT_REACHED',
      limit: 2,
    });
    expect(engine.stats()).toMatchObject({ running: 1, queued: 2, retained: 3 });
  });

  test('minStartIntervalMs paces process starts', async () => {
    const engine = createEngine({ minStartIntervalMs: 150 });
    const startedAt: number[] = [];
    engine.on('started', (event) => startedAt.push(event.timestamp));
    const ids = await Promise.all(Array.from({ length: 4 }, () => engine.execute({ command: exec('true') })));
    await Promise.all(ids.map((id) => engine.waitForCompletion(id)));
    const gaps = startedAt.slice(1).map((at, i) => at - startedAt[i]!);
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(140);
  });

  test('cancelling a queued execution removes it from the queue without starting it', async () => {
    const engine = createEngine({ maxConcurrentExecutions: 1 });
    const blocker = await engine.execute({ command: exec('sleep', ['0.3']) });
    const queued = await engine.execute({ command: exec('true') });
    const types: string[] = [];
    engine.on('event', (event) => {
      if (event.executionId === queued) types.push(event.type);
    });
    await expect(engine.cancel(queued, 'not needed')).resolves.toBe(true);
    const result = engine.getResult(queued)!;
    expect(result).toMatchObject({ status: 'cancelled', durationMs: 0 });
    expect(result.startedAt).toBeUndefined();
    expect(types).toEqual(['cancelled']);
    await engine.waitForCompletion(blocker);
    expect(engine.stats()).toMatchObject({ queued: 0, running: 0, cancelled: 1, completed: 1 });
  });

  test('a slot is freed by every kind of ending, including a spawn failure', async () => {
    const engine = createEngine({ maxConcurrentExecutions: 1 });
    const ids = [
      await engine.execute({ command: exec('/nonexistent/program') }),
      await engine.execute({ command: exec('sleep', ['5']), timeoutMs: 100 }),
      await engine.execute({ command: exec('false') }),
      await engine.execute({ command: exec('true') }),
    ];
    const results = await Promise.all(ids.map((id) => engine.waitForCompletion(id)));
    expect(results.map((r) => r.status)).toEqual(['failed', 'timeout', 'completed', 'completed']);
  });
});
