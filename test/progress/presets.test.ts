import { describe, expect, test } from 'vitest';
import { parseFraction, parseJsonProgress, parsePercent } from '../../src/progress/presets.js';

describe("the 'percent' preset", () => {
  test.each([
    ['45%', 45],
    ['[#####     ] 45.5% eta 3s', 45.5],
    ['0%', 0],
    ['100%', 100],
    ['007%', 7],
    ['12.3%', 12.3],
    ['99.99%', 99.99],
    ['0000000000000000045%', 45],
    ['downloading: 12% ... 38%', 38],
    ['38% done, 250% cpu', 38],
    ['progress=60%', 60],
    ['(75%)', 75],
  ])('reads %j as %d (the last value from 0 to 100)', (line, percent) => {
    expect(parsePercent(line)).toEqual({ percent });
  });

  test.each([
    'no progress here',
    '%',
    '50 %',
    '250%',
    '100.5%',
    '-5%',
    'x86%',
    'v1.2.5%',
    'a%20b%2F',
    '50.%',
    '',
  ])('ignores %j', (line) => {
    expect(parsePercent(line)).toBeUndefined();
  });
});

describe("the 'fraction' preset", () => {
  test.each([
    ['[3/12] Compiling foo.c', 3, 12],
    ['3/4', 3, 4],
    ['0/5 files', 0, 5],
    ['5/5', 5, 5],
    ['(1/3) then (2/3)', 2, 3],
    ['step 2/8.', 2, 8],
    ['2/8, next', 2, 8],
    ['12/31', 12, 31],
  ])('reads %j as %d of %d', (line, current, total) => {
    expect(parseFraction(line)).toEqual({ percent: (current / total) * 100, current, total });
  });

  test.each([
    ['a date', 'released 12/31/2024'],
    ['an ISO-like date', '2024/12/31'],
    ['a path', 'GET /api/1/2'],
    ['more done than in all', '5/3'],
    ['a zero total', '0/0'],
    ['a decimal numerator', '1.5/3'],
    ['a decimal denominator', '1/2.5'],
    ['a thousands separator', '1/2,000'],
    ['numbers in words', 'x1/2 and 1/2s'],
    ['a negative numerator', '-1/2'],
    ['no digits', 'a/b and /'],
    ['nothing', ''],
  ])('ignores %s: %j', (_, line) => {
    expect(parseFraction(line)).toBeUndefined();
  });

  test('skips a later non-fraction and takes the last real one', () => {
    expect(parseFraction('[4/10] fetched /v1/2/3')).toEqual({ percent: 40, current: 4, total: 10 });
  });
});

describe("the 'json' preset", () => {
  test.each([
    ['{"percent": 42}', { percent: 42 }],
    ['  {"percent": 42.5, "message": "half"}', { percent: 42.5, message: 'half' }],
    ['{"current": 30, "total": 120}', { percent: 25, current: 30, total: 120 }],
    [
      '{"current": 30, "total": 120, "message": "uploading", "eta": 5}',
      { percent: 25, current: 30, total: 120, message: 'uploading' },
    ],
    ['{"percent": 10, "current": 1, "total": 2}', { percent: 10, current: 1, total: 2 }],
    ['{"percent": 500, "current": 1, "total": 4}', { percent: 25, current: 1, total: 4 }],
    ['{"percent": 5, "message": 7}', { percent: 5 }],
  ])('reads %s', (line, update) => {
    expect(parseJsonProgress(line)).toEqual(update);
  });

  test.each([
    ['plain text', 'log line'],
    ['an array', '[{"percent": 5}]'],
    ['invalid JSON', '{"percent": 5'],
    ['a string percent', '{"percent": "5"}'],
    ['a percent out of range', '{"percent": 101}'],
    ['a message alone', '{"message": "hi"}'],
    ['a zero total', '{"current": 0, "total": 0}'],
    ['current above total', '{"current": 5, "total": 4}'],
    ['a number', '42'],
    ['nothing', ''],
  ])('ignores %s', (_, line) => {
    expect(parseJsonProgress(line)).toBeUndefined();
  });
});
