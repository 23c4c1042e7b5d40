import { describe, expect, test } from 'vitest';
import { exec, type QueuedEvent } from '../../src/index.js';
import { createEngine } from '../helpers/engine.js';

describe('priority', () => {
  test('waiting executions start by priority, then in submission order', async () => {
    const engine = createEngine({ maxConcurrentExecutions: 1 });
    const started: string[] = [];
    engine.on('started', (event) => started.push(event.executionId));
    const positions: Record<string, number> = {};
    engine.on('queued', (event: QueuedEvent) => {
      positions[event.executionId] = event.position;
    });
    const blocker = await engine.execute({ id: 'blocker', command: exec('sleep', ['30']) });
    const queued = [
      ['low', -5],
      ['normal-1', undefined],
      ['urgent', 10],
      ['normal-2', 0],
      ['high', 3],
    ] as const;
    for (const [id, priority] of queued) await engine.execute({ id, command: exec('true'), priority });
    expect(positions).toEqual({ low: 1, 'normal-1': 1, urgent: 1, 'normal-2': 3, high: 2 });
    await engine.cancel(blocker);
    await Promise.all(queued.map(([id]) => engine.waitForCompletion(id)));
    expect(started).toEqual(['blocker', 'urgent', 'high', 'normal-1', 'normal-2', 'low']);
  });

  test('snapshots and results carry priority and group when the request set them, only then', async () => {
    const engine = createEngine();
    const tagged = await engine.run({ command: exec('true'), priority: 2, group: 'reports' });
    expect(tagged).toMatchObject({ priority: 2, group: 'reports' });
    const zero = await engine.execute({ command: exec('sleep', ['30']), priority: 0 });
    expect(engine.getExecution(zero)).toMatchObject({ status: 'running', priority: 0 });
    expect(engine.getExecution(zero)).not.toHaveProperty('group');
    const plain = await engine.run({ command: exec('true') });
    expect(plain).not.toHaveProperty('priority');
    expect(plain).not.toHaveProperty('group');
  });
});
