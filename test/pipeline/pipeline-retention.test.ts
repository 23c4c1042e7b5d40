import { describe, expect, test } from 'vitest';
import { shell } from '../../src/index.js';
import { createEngine } from '../helpers/engine.js';

const steps = [
  { key: 'a', request: { command: shell('true') } },
  { key: 'b', request: { command: shell('true') }, dependsOn: ['a'] },
];

describe('retention', () => {
  test('cleanup removes an ended pipeline past executionRetentionMs with its steps’ executions', async () => {
    const engine = createEngine({ executionRetentionMs: 1 });
    await engine.runPipeline({ id: 'old', steps });
    const running = await engine.startPipeline({
      id: 'live',
      steps: [{ key: 'x', request: { command: shell('sleep 30') } }],
    });
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(engine.cleanup()).toBeGreaterThanOrEqual(2);
    expect(() => engine.getPipeline('old')).toThrow(expect.objectContaining({ code: 'EXECUTION_NOT_FOUND' }));
    expect(engine.list().map((e) => e.id)).toEqual(['live.x']);
    // A running pipeline is never removed.
    expect(engine.getPipeline(running).status).toBe('running');
    await engine.cancelPipeline(running);
  });

  test('beyond maxInMemoryExecutions ended pipelines are removed oldest first as others end', async () => {
    const engine = createEngine({ maxInMemoryExecutions: 2 });
    for (const id of ['p1', 'p2', 'p3']) await engine.runPipeline({ id, steps: [steps[0]!] });
    expect(engine.listPipelines().map((p) => p.id)).toEqual(['p2', 'p3']);
    expect(engine.list().map((e) => e.id)).toEqual(['p2.a', 'p3.a']);
  });
});
