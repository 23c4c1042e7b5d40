import { describe, expect, test } from 'vitest';
import { ExecutionEngine, exec, InvalidConfigError, InvalidRequestError } from '../../src/index.js';
import { parseFraction, parseJsonProgress, parsePercent } from '../../src/progress/presets.js';
import { checkProgress } from '../../src/progress/progress-option.js';
import { createEngine } from '../helpers/engine.js';
import { fixture, node } from '../helpers/fixtures.js';

describe('the progress option', () => {
  test('a preset name resolves to its parser; a function is kept; undefined means none', () => {
    expect(checkProgress('percent')).toBe(parsePercent);
    expect(checkProgress('fraction')).toBe(parseFraction);
    expect(checkProgress('json')).toBe(parseJsonProgress);
    const parser = () => undefined;
    expect(checkProgress(parser)).toBe(parser);
    expect(checkProgress(undefined)).toBeUndefined();
  });

  test.each([
    ['an unknown preset', 'percentage', '`"percentage"` (string)'],
    ['a preset in capitals', 'PERCENT', '`"PERCENT"` (string)'],
    ['an inherited name', 'toString', '`"toString"` (string)'],
    ['a number', 42, '`42` (number)'],
    ['null', null, '`null` (null)'],
    ['an object', { percent: true }, '(object)'],
    ['true', true, '`true` (boolean)'],
  ])('%s is an InvalidRequestError naming `progress`; nothing is registered', async (_, progress, shown) => {
    const engine = createEngine();
    const command = exec(node, [fixture('print-args.js'), '10%']);
    const error = await engine.execute({ command, progress: progress as never }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect(error).toMatchObject({ field: 'progress' });
    expect((error as Error).message).toContain(
      "Expected `progress` to be 'percent', 'fraction', 'json' or a function",
    );
    expect((error as Error).message).toContain(shown);
    expect(engine.list()).toEqual([]);
  });
});

describe('the progressIntervalMs config', () => {
  test.each([0, 12.5, 100, 60_000])('accepts %d', (value) => {
    expect(createEngine({ progressIntervalMs: value }).config.progressIntervalMs).toBe(value);
  });

  test('defaults to 100', () => {
    expect(createEngine().config.progressIntervalMs).toBe(100);
  });

  test.each([
    [-1, '`-1` (number)'],
    [Number.NaN, '`NaN` (number)'],
    [Number.POSITIVE_INFINITY, '`Infinity` (number)'],
    ['100', '`"100"` (string)'],
    [null, '`null` (null)'],
  ])('rejects %s with InvalidConfigError naming it', (value, shown) => {
    let error: unknown;
    try {
      new ExecutionEngine({ progressIntervalMs: value as number });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InvalidConfigError);
    expect(error).toMatchObject({ key: 'progressIntervalMs' });
    expect((error as Error).message).toBe(
      `Expected the \`progressIntervalMs\` option to be a non-negative finite number, got ${shown}`,
    );
  });
});
