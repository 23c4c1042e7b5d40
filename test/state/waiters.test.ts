import { afterEach, describe, expect, test } from 'vitest';
import { exec, InvalidRequestError, type WaitOptions, WaitTimeoutError } from '../../src/index.js';
import {
  createEngine,
  engineWithTwo,
  rejectionOf,
  shutDownTrackedEngines,
} from '../helpers/tracked-engine.js';

afterEach(shutDownTrackedEngines);

describe('waitForCompletion timeoutMs beyond the Node timer limit (2^31 - 1 ms)', () => {
  test.each([2 ** 31, 1e12, Number.MAX_SAFE_INTEGER])(
    'timeoutMs %d waits for the result instead of rejecting WAIT_TIMEOUT at once',
    async (timeoutMs) => {
      const engine = createEngine();
      const id = await engine.execute({ command: exec('sleep', ['0.2']) });
      const result = await engine.waitForCompletion(id, { timeoutMs });
      expect(result.status).toBe('completed');
    },
  );

  test('a short timeoutMs still rejects WAIT_TIMEOUT and the execution keeps running', async () => {
    const engine = createEngine();
    const id = await engine.execute({ command: exec('sleep', ['0.3']) });
    const error = await rejectionOf(engine.waitForCompletion(id, { timeoutMs: 20 }));
    expect(error).toBeInstanceOf(WaitTimeoutError);
    expect(engine.getStatus(id)).toBe('running');
    expect((await engine.waitForCompletion(id)).status).toBe('completed');
  });

  test('an aborted wait with a long timeout rejects with the reason and leaves the execution alone', async () => {
    const engine = createEngine();
    const id = await engine.execute({ command: exec('sleep', ['0.3']) });
    const controller = new AbortController();
    const waiting = rejectionOf(engine.waitForCompletion(id, { timeoutMs: 1e12, signal: controller.signal }));
    controller.abort('enough');
    expect(await waiting).toBe('enough');
    expect((await engine.waitForCompletion(id)).status).toBe('completed');
  });
});

describe('waitForCompletion options', () => {
  test.each<[string, unknown, string]>([
    ['timeoutMs NaN', { timeoutMs: Number.NaN }, 'timeoutMs'],
    ['timeoutMs negative', { timeoutMs: -5 }, 'timeoutMs'],
    ['timeoutMs 0', { timeoutMs: 0 }, 'timeoutMs'],
    ['timeoutMs fractional', { timeoutMs: 1.5 }, 'timeoutMs'],
    ['timeoutMs a string', { timeoutMs: '100' }, 'timeoutMs'],
    ['timeoutMs Infinity', { timeoutMs: Number.POSITIVE_INFINITY }, 'timeoutMs'],
    ['timeoutMs past MAX_SAFE_INTEGER', { timeoutMs: 2 ** 60 }, 'timeoutMs'],
    ['a signal that is not an AbortSignal', { signal: 5 }, 'signal'],
    ['a signal-like object without listeners', { signal: { aborted: false } }, 'signal'],
    ['options that are a number', 5, 'options'],
  ])(
    '%s on a running execution rejects with InvalidRequestError; the engine is unaffected',
    async (_, options, field) => {
      const { engine, running } = await engineWithTwo();
      const error = await rejectionOf(engine.waitForCompletion(running, options as WaitOptions));
      expect(error).toBeInstanceOf(InvalidRequestError);
      expect(error).toMatchObject({ field });
      // The rejected wait left nothing behind that could break the execution's end.
      expect(await engine.waitForCompletion(running)).toMatchObject({ status: 'completed' });
    },
  );

  test('null options mean none', async () => {
    const { engine, running } = await engineWithTwo();
    const result = await engine.waitForCompletion(running, null as unknown as WaitOptions);
    expect(result.status).toBe('completed');
  });
});
