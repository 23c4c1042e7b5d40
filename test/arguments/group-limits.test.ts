import { describe, expect, test } from 'vitest';
import { ExecutionEngine, InvalidConfigError, type PartialExecutionConfig } from '../../src/index.js';
import { thrownBy } from '../helpers/tracked-engine.js';

const BAD: [key: string, config: Record<string, unknown>, message: string][] = [
  ['groups', { groups: [] }, 'Expected the `groups` option to be an object of group names to limits, got'],
  ['groups', { groups: 'a' }, 'got `"a"` (string)'],
  ['groups', { groups: { 'bad name': {} } }, 'Expected every group name in the `groups` option to be 1-128'],
  ['groups.a', { groups: { a: 2 } }, 'Expected the `groups.a` option to be an object'],
  [
    'groups.a.maxConcurrent',
    { groups: { a: { maxConcurrent: 0 } } },
    'to be an integer from 1 to 1000000, got `0`',
  ],
  ['groups.a.maxConcurrent', { groups: { a: { maxConcurrent: 1.5 } } }, 'got `1.5` (number)'],
  [
    'groups.a.maxConcurrent',
    { groups: { a: { maxConcurrent: Number.POSITIVE_INFINITY } } },
    'got `Infinity`',
  ],
  ['groups.a.minStartIntervalMs', { groups: { a: { minStartIntervalMs: -1 } } }, 'got `-1` (number)'],
  ['groups.a.max', { groups: { a: { max: 1 } } }, 'Unknown config key `groups.a.max`'],
  [
    'defaultGroupLimits',
    { defaultGroupLimits: null },
    'Expected the `defaultGroupLimits` option to be an object',
  ],
  ['defaultGroupLimits.maxConcurrent', { defaultGroupLimits: { maxConcurrent: -2 } }, 'got `-2` (number)'],
  [
    'defaultGroupLimits.minStartIntervalMs',
    { defaultGroupLimits: { minStartIntervalMs: Number.NaN } },
    'got `NaN`',
  ],
];

describe('groups and defaultGroupLimits in the config', () => {
  test.each(BAD)('%s: InvalidConfigError naming it', (key, config, message) => {
    const error = thrownBy(() => new ExecutionEngine(config as PartialExecutionConfig));
    expect(error).toBeInstanceOf(InvalidConfigError);
    expect(error).toMatchObject({ code: 'INVALID_CONFIG', key });
    expect((error as Error).message).toContain(message);
  });

  test('valid limits are copied and frozen: later changes to the caller object do not show', async () => {
    const groups = { a: { maxConcurrent: 2, minStartIntervalMs: 10 }, b: {} };
    const engine = new ExecutionEngine({
      groups,
      defaultGroupLimits: { maxConcurrent: 1 },
      enableAutoCleanup: false,
    });
    groups.a.maxConcurrent = 50;
    expect(engine.config.groups).toEqual({ a: { maxConcurrent: 2, minStartIntervalMs: 10 }, b: {} });
    expect(Object.isFrozen(engine.config.groups?.a)).toBe(true);
    expect(engine.config.defaultGroupLimits).toEqual({ maxConcurrent: 1 });
    await engine.shutdown();
  });
});
