import { describe, expect, test } from 'vitest';
import { InvalidRequestError, type PipelineEvent, shell } from '../../src/index.js';
import { createEngine } from '../helpers/engine.js';

describe('a schedule whose target is a pipeline spec', () => {
  test('each occurrence starts a new pipeline carrying the schedule name, its steps too', async () => {
    const engine = createEngine();
    const ended: PipelineEvent[] = [];
    const twoRuns = new Promise<void>((resolve) =>
      engine.on('pipeline', (event) => {
        if (event.step !== undefined || event.status === 'running') return;
        ended.push(event);
        if (ended.length === 2) resolve();
      }),
    );
    const handle = engine.schedule('every-second', '* * * * * *', {
      steps: [
        { key: 'a', request: { command: shell('echo a') } },
        { key: 'b', request: { command: shell('echo b') }, dependsOn: ['a'] },
      ],
    });
    await twoRuns;
    handle.stop();
    const ids = ended.map((event) => event.pipelineId);
    expect(new Set(ids).size).toBe(2);
    for (const id of ids) {
      const snapshot = engine.getPipeline(id);
      expect(snapshot).toMatchObject({ status: 'completed', schedule: 'every-second' });
      expect(engine.getExecution(`${id}.b`)).toMatchObject({ schedule: 'every-second', stdout: 'b' });
    }
  });

  test('the spec is checked at schedule() time: a cycle or an id is refused, nothing scheduled', () => {
    const engine = createEngine();
    const cycle = {
      steps: [
        { key: 'a', request: { command: shell('true') }, dependsOn: ['b'] },
        { key: 'b', request: { command: shell('true') }, dependsOn: ['a'] },
      ],
    };
    expect(() => engine.schedule('bad', '* * * * *', cycle)).toThrow(InvalidRequestError);
    expect(() =>
      engine.schedule('bad', '* * * * *', {
        id: 'fixed',
        steps: [{ key: 'a', request: { command: shell('true') } }],
      }),
    ).toThrow(expect.objectContaining({ field: 'id' }));
    expect(engine.listSchedules()).toEqual([]);
  });
});
