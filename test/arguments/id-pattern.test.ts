import { afterEach, describe, expect, test } from 'vitest';
import { isValidExecutionId } from '../../src/arguments/id-pattern.js';
import { exec, InvalidRequestError } from '../../src/index.js';
import { createEngine, rejectionOf, shutDownTrackedEngines } from '../helpers/tracked-engine.js';

afterEach(shutDownTrackedEngines);

describe('isValidExecutionId: the one id rule (ids become file names)', () => {
  test.each([
    ['one character', 'a'],
    ['128 characters', 'x'.repeat(128)],
    ['every allowed character', 'AZaz09._-'],
    ['three dots', '...'],
    ['a leading dot', '.hidden'],
    ['two dots and more', '..a'],
    ['a trailing double dot', 'a..'],
    ['a UUID', '0190a6e2-7c4e-7d3a-8b1f-2c3d4e5f6a7b'],
  ])('accepts %s', (_name, id) => {
    expect(isValidExecutionId(id)).toBe(true);
  });

  test.each<[string, unknown]>([
    ['. (the directory itself)', '.'],
    ['.. (its parent)', '..'],
    ['empty', ''],
    ['129 characters', 'x'.repeat(129)],
    ['a slash', 'a/b'],
    ['a backslash', 'a\\b'],
    ['a space', 'a b'],
    ['a newline at the end', 'a\n'],
    ['a NUL byte', 'a\0'],
    ['a non-ASCII letter', 'é'],
    ['a number', 42],
    ['undefined', undefined],
  ])('rejects %s', (_name, id) => {
    expect(isValidExecutionId(id)).toBe(false);
  });
});

describe('execute', () => {
  // Regression: the journal accepted `.` and `..` as ids while requests refused them.
  test.each(['.', '..'])('rejects the id %j with InvalidRequestError naming the rule', async (id) => {
    const engine = createEngine();
    const error = await rejectionOf(engine.execute({ id, command: exec('true') }));
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect(error).toMatchObject({ field: 'id', message: expect.stringContaining('other than `.` and `..`') });
    expect(engine.list()).toEqual([]);
  });
});
