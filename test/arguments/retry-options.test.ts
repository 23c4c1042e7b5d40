import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { type ExecutionRequest, exec, InvalidRequestError } from '../../src/index.js';
import { createEngine, rejectionOf, shutDownTrackedEngines } from '../helpers/tracked-engine.js';

afterEach(shutDownTrackedEngines);

const ok = exec('true');

/** Submits `retry`, expects `InvalidRequestError` for `field` with `message`, and nothing registered. */
async function expectRejected(retry: unknown, field: string, message: RegExp): Promise<void> {
  const engine = createEngine();
  const events: unknown[] = [];
  engine.on('event', (event) => events.push(event));
  const error = await rejectionOf(engine.execute({ command: ok, retry } as ExecutionRequest));
  expect(error).toBeInstanceOf(InvalidRequestError);
  expect(error).toMatchObject({ code: 'INVALID_REQUEST', field });
  expect((error as Error).message).toMatch(message);
  expect(engine.list()).toEqual([]);
  expect(engine.stats()).toMatchObject({ queued: 0, running: 0, retained: 0 });
  expect(events).toEqual([]);
}

describe('retry validation', () => {
  test.each([
    ['not an object', 3, 'retry', /Expected `retry` to be an object, got `3` \(number\)/],
    ['an array', [], 'retry', /`retry` to be an object/],
    ['attempts missing', {}, 'retry.attempts', /`retry.attempts` to be an integer >= 1.*`undefined`/],
    ['attempts 0', { attempts: 0 }, 'retry.attempts', /got `0` \(number\)/],
    ['attempts negative', { attempts: -1 }, 'retry.attempts', /got `-1` \(number\)/],
    ['attempts fractional', { attempts: 1.5 }, 'retry.attempts', /got `1\.5` \(number\)/],
    ['attempts a string', { attempts: '3' }, 'retry.attempts', /got `"3"` \(string\)/],
    ['delayMs negative', { attempts: 2, delayMs: -1 }, 'retry.delayMs', /`retry.delayMs`.*`-1` \(number\)/],
    ['delayMs NaN', { attempts: 2, delayMs: Number.NaN }, 'retry.delayMs', /`NaN` \(number\)/],
    [
      'backoff unknown',
      { attempts: 2, backoff: 'linear' },
      'retry.backoff',
      /'fixed' or 'exponential', got `"linear"`/,
    ],
    [
      'maxDelayMs Infinity',
      { attempts: 2, maxDelayMs: Infinity },
      'retry.maxDelayMs',
      /`Infinity` \(number\)/,
    ],
    ['jitter not boolean', { attempts: 2, jitter: 'yes' }, 'retry.jitter', /a boolean, got `"yes"`/],
    ['on empty', { attempts: 2, on: [] }, 'retry.on', /`retry.on` to be an array of/],
    ['on a string', { attempts: 2, on: 'timeout' }, 'retry.on', /got `"timeout"` \(string\)/],
    [
      'on unknown condition',
      { attempts: 2, on: ['timeout', 'oops'] },
      'retry.on[1]',
      /`retry.on\[1\]`.*`"oops"`/,
    ],
    [
      'an unknown key',
      { attempts: 2, retries: 3 },
      'retry.retries',
      /Unknown key `retry.retries` \(did you mean `attempts`\?\)/,
    ],
  ])('%s', async (_name, retry, field, message) => {
    await expectRejected(retry, field, message);
  });

  test('a function rule with a journal is refused: it could not be recovered', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'execution-engine-retry-journal-'));
    try {
      const engine = createEngine({ journal: { dir } });
      const error = await rejectionOf(
        engine.execute({ command: ok, retry: { attempts: 2, on: () => true } }),
      );
      expect(error).toMatchObject({ code: 'INVALID_REQUEST', field: 'retry.on' });
      expect(engine.list()).toEqual([]);
      await engine.shutdown();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('valid: defaults may be left out, undefined means left out, attempts 1 runs once', async () => {
    const engine = createEngine();
    const result = await engine.waitForCompletion(
      await engine.execute({
        command: exec('false'),
        retry: { attempts: 1, delayMs: undefined, backoff: undefined, jitter: undefined, on: undefined },
      }),
    );
    expect(result.attempts).toHaveLength(1);
  });
});
