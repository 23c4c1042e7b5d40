import { describe, expect, test } from 'vitest';
import { InvalidRequestError, type PipelineSpec, shell } from '../../src/index.js';
import { createEngine } from '../helpers/engine.js';

const req = { command: shell('true') };

/** The InvalidRequestError `startPipeline` rejects with, after checking that nothing was registered. */
async function refusal(spec: unknown): Promise<InvalidRequestError> {
  const engine = createEngine();
  const error = await engine.startPipeline(spec as PipelineSpec).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(InvalidRequestError);
  expect(engine.listPipelines()).toEqual([]);
  expect(engine.list()).toEqual([]);
  return error as InvalidRequestError;
}

describe('a pipeline spec is checked before anything is registered', () => {
  test('duplicate step keys', async () => {
    const error = await refusal({
      steps: [
        { key: 'a', request: req },
        { key: 'a', request: req },
      ],
    });
    expect(error.field).toBe('steps[1].key');
    expect(error.message).toContain('`a` at steps[0] and steps[1]');
  });

  test('an unknown dependency', async () => {
    const error = await refusal({ steps: [{ key: 'a', request: req, dependsOn: ['ghost'] }] });
    expect(error.field).toBe('steps[0].dependsOn');
    expect(error.message).toContain('unknown step `ghost`');
  });

  test('a cycle, named in the message', async () => {
    const error = await refusal({
      steps: [
        { key: 'start', request: req },
        { key: 'a', request: req, dependsOn: ['start', 'c'] },
        { key: 'b', request: req, dependsOn: ['a'] },
        { key: 'c', request: req, dependsOn: ['b'] },
      ],
    });
    expect(error.field).toBe('steps');
    expect(error.message).toBe('Expected the steps to form no cycle, got a → b → c → a');
  });

  test('a step depending on itself is a cycle', async () => {
    const error = await refusal({ steps: [{ key: 'a', request: req, dependsOn: ['a'] }] });
    expect(error.message).toContain('a → a');
  });

  test('a placeholder naming a step that is not a dependency, or an unknown one', async () => {
    const env = (value: string) => ({ command: shell('true'), env: { V: value } });
    const notDep = await refusal({
      steps: [
        { key: 'a', request: req },
        { key: 'b', request: env('${{ steps.a.outputs.x }}') },
      ],
    });
    expect(notDep.field).toBe('steps[1].request.env.V');
    expect(notDep.message).toContain('got `a`');
    const unknown = await refusal({ steps: [{ key: 'b', request: env('${{ steps.zzz.outputs.x }}') }] });
    expect(unknown.field).toBe('steps[0].request.env.V');
    const malformed = await refusal({
      steps: [
        { key: 'a', request: req },
        { key: 'b', dependsOn: ['a'], request: env('${{ steps.a.output.x }}') },
      ],
    });
    expect(malformed.field).toBe('steps[1].request.env.V');
  });

  test.each([
    [{ steps: [] }, 'steps'],
    [{ steps: 'x' }, 'steps'],
    [{ steps: [{ key: 'a b', request: req }] }, 'steps[0].key'],
    [{ steps: [{ key: 'a', request: 5 }] }, 'steps[0].request'],
    [{ steps: [{ key: 'a', request: req, onFailure: 'ignore' }] }, 'steps[0].onFailure'],
    [{ steps: [{ key: 'a', request: req, dependsOn: 'b' }] }, 'steps[0].dependsOn'],
    [{ steps: [{ key: 'a', request: req, retries: 2 }] }, 'steps[0].retries'],
    [
      { steps: [{ key: 'a', request: { command: shell('x'), timeoutMs: -1 } }] },
      'steps[0].request.timeoutMs',
    ],
    [{ steps: [{ key: 'a', request: { command: shell('x'), id: 'mine' } }] }, 'steps[0].request.id'],
    [{ id: '..', steps: [{ key: 'a', request: req }] }, 'id'],
    [{ failFast: 'yes', steps: [{ key: 'a', request: req }] }, 'failFast'],
    [{ steps: [{ key: 'a', request: req }], extra: 1 }, 'extra'],
  ])('%j is refused naming %s', async (spec, field) => {
    expect((await refusal(spec)).field).toBe(field);
  });

  test('a taken pipeline id, or a step id an execution already has', async () => {
    const engine = createEngine();
    await engine.runPipeline({ id: 'p', steps: [{ key: 'a', request: req }] });
    await expect(
      engine.startPipeline({ id: 'p', steps: [{ key: 'a', request: req }] }),
    ).rejects.toMatchObject({
      field: 'id',
    });
    await engine.run({ id: 'q.a', command: shell('true') });
    await expect(
      engine.startPipeline({ id: 'q', steps: [{ key: 'a', request: req }] }),
    ).rejects.toMatchObject({
      field: 'id',
    });
    expect(engine.listPipelines().map((p) => p.id)).toEqual(['p']);
  });
});
