import { afterEach, describe, expect, test } from 'vitest';
import { type ExecutionResult, exec, InvalidRequestError, type ShutdownOptions } from '../../src/index.js';
import {
  createEngine,
  engineWithTwo,
  rejectionOf,
  shutDownTrackedEngines,
} from '../helpers/tracked-engine.js';

afterEach(shutDownTrackedEngines);

describe('shutdown graceMs beyond the Node timer limit (2^31 - 1 ms)', () => {
  test.each([2 ** 31, 1e12])('graceMs %d lets a running execution finish by itself', async (graceMs) => {
    const engine = createEngine();
    const id = await engine.execute({ command: exec('sleep', ['0.3']) });
    const started = Date.now();
    await engine.shutdown({ graceMs });
    const result = engine.getResult(id) as ExecutionResult;
    expect(result.status).toBe('completed');
    expect(Date.now() - started).toBeGreaterThanOrEqual(200);
  });

  test('graceMs 0 still terminates at once', async () => {
    const engine = createEngine();
    const id = await engine.execute({ command: exec('sleep', ['5']) });
    await engine.shutdown({ graceMs: 0 });
    expect(engine.getResult(id)).toMatchObject({ status: 'cancelled' });
  });

  test('a second shutdown call returns the same promise', async () => {
    const engine = createEngine();
    await engine.execute({ command: exec('sleep', ['5']) });
    const first = engine.shutdown({ graceMs: 0 });
    expect(engine.shutdown({ graceMs: 10_000 })).toBe(first);
    await first;
  });
});

describe('shutdown options', () => {
  test.each<[string, unknown, string]>([
    ['graceMs a string', { graceMs: 'abc' }, 'graceMs'],
    ['graceMs negative', { graceMs: -5 }, 'graceMs'],
    ['graceMs NaN', { graceMs: Number.NaN }, 'graceMs'],
    ['graceMs fractional', { graceMs: 0.5 }, 'graceMs'],
    ['graceMs Infinity', { graceMs: Number.POSITIVE_INFINITY }, 'graceMs'],
    ['kill a string', { kill: 'yes' }, 'kill'],
    ['kill a number', { kill: 0 }, 'kill'],
    ['options that are a string', 'now', 'options'],
  ])('%s rejects with InvalidRequestError and does not shut the engine down', async (_, options, field) => {
    const { engine, running } = await engineWithTwo();
    const error = await rejectionOf(engine.shutdown(options as ShutdownOptions));
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect(error).toMatchObject({ field });
    // Still accepting work, and the running execution was left alone.
    const next = await engine.execute({ command: exec('true') });
    expect((await engine.waitForCompletion(next)).status).toBe('completed');
    expect((await engine.waitForCompletion(running)).status).toBe('completed');
    await engine.shutdown({ graceMs: 0 });
    await expect(engine.execute({ command: exec('true') })).rejects.toMatchObject({
      code: 'ENGINE_SHUT_DOWN',
    });
  });
});
