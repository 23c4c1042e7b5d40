import { describe, expect, test } from 'vitest';
import { type ExecutionRequest, exec, InvalidRequestError } from '../../src/index.js';
import { createEngine } from '../helpers/engine.js';
import { rejectionOf } from '../helpers/tracked-engine.js';

const BAD: [field: string, value: unknown, message: string][] = [
  ['priority', 1.5, 'Expected `priority` to be an integer (higher starts first), got `1.5` (number)'],
  ['priority', Number.NaN, 'Expected `priority` to be an integer (higher starts first), got `NaN` (number)'],
  ['priority', Number.POSITIVE_INFINITY, 'got `Infinity` (number)'],
  ['priority', '1', 'got `"1"` (string)'],
  ['priority', 2 ** 60, 'Expected `priority` to be an integer'],
  ['group', '', 'Expected `group` to be 1-128 characters of [A-Za-z0-9._-]'],
  ['group', 'tenant a', 'Expected `group` to be 1-128 characters'],
  ['group', '..', 'other than `.` and `..`'],
  ['group', 'x'.repeat(129), 'Expected `group` to be 1-128 characters'],
  ['group', 7, 'got `7` (number)'],
  ['group', null, 'got `null`'],
  ['queueTimeoutMs', -1, 'Expected `queueTimeoutMs` to be a non-negative integer'],
  ['queueTimeoutMs', Number.NaN, 'got `NaN` (number)'],
  ['queueTimeoutMs', Number.POSITIVE_INFINITY, 'got `Infinity` (number)'],
  ['queueTimeoutMs', 1.5, 'got `1.5` (number)'],
  ['queueTimeoutMs', '100', 'got `"100"` (string)'],
];

describe('priority, group and queueTimeoutMs are validated', () => {
  test.each(BAD)(
    '%s = %o is an InvalidRequestError naming it, and nothing is registered',
    async (field, value, message) => {
      const engine = createEngine();
      const request = { id: 'bad', command: exec('true'), [field]: value } as unknown as ExecutionRequest;
      const error = await rejectionOf(engine.execute(request));
      expect(error).toBeInstanceOf(InvalidRequestError);
      expect(error).toMatchObject({ code: 'INVALID_REQUEST', field });
      expect((error as Error).message).toContain(message);
      expect(engine.list()).toEqual([]);
      expect(engine.stats()).toMatchObject({ queued: 0, running: 0, groups: {} });
    },
  );

  test('valid values are accepted: negative priorities, any id-like group, a zero queue timeout', async () => {
    const engine = createEngine();
    const result = await engine.run({
      command: exec('true'),
      priority: -3,
      group: 'a.B_c-9',
      queueTimeoutMs: 0,
    });
    expect(result).toMatchObject({ success: true, priority: -3, group: 'a.B_c-9' });
  });

  test('a misspelt queueTimeoutMs is pointed at', async () => {
    const engine = createEngine();
    const request = { command: exec('true'), queueTimeout: 5 } as unknown as ExecutionRequest;
    await expect(engine.execute(request)).rejects.toMatchObject({
      field: 'queueTimeout',
      message: expect.stringContaining('did you mean `queueTimeoutMs`?'),
    });
  });
});
