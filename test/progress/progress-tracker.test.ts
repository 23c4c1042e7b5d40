import { describe, expect, test } from 'vitest';
import { parsePercent } from '../../src/progress/presets.js';
import { normalizeUpdate, ProgressTracker } from '../../src/progress/progress-tracker.js';
import type { ProgressParser, ProgressUpdate } from '../../src/progress/progress-types.js';

describe("a custom parser's update is checked", () => {
  test.each<[string, unknown, ProgressUpdate | undefined]>([
    ['percent derived from current/total', { current: 1, total: 4 }, { percent: 25, current: 1, total: 4 }],
    ['a given percent kept', { percent: 10, current: 1, total: 4 }, { percent: 10, current: 1, total: 4 }],
    ['percent held within 0–100', { percent: 140 }, { percent: 100 }],
    ['a negative percent', { percent: -3 }, { percent: 0 }],
    ['no percent from a zero total', { current: 1, total: 0 }, { current: 1, total: 0 }],
    ['a message alone', { message: 'warming up' }, { message: 'warming up' }],
    ['wrong types dropped', { percent: '5', current: Number.NaN, message: 3, extra: 1 }, undefined],
    ['null', null, undefined],
    ['a number', 42, undefined],
  ])('%s', (_, value, expected) => {
    expect(normalizeUpdate(value)).toEqual(expected);
  });
});

function tracker(parser: ProgressParser) {
  const updates: ProgressUpdate[] = [];
  const emitted: ProgressUpdate[] = [];
  const errors: [unknown, string, string][] = [];
  const progress = new ProgressTracker(parser, {
    intervalMs: 0,
    onUpdate: (update) => updates.push(update),
    onEmit: (update) => emitted.push(update),
    onError: (error, line, stream) => errors.push([error, line, stream]),
  });
  return { progress, updates, emitted, errors };
}

describe('ProgressTracker', () => {
  test('hands on only the latest update of a chunk of lines, at commit', () => {
    const { progress, updates, emitted } = tracker(parsePercent);
    progress.line('10%', 'stdout');
    progress.line('20%', 'stdout');
    progress.line('no progress', 'stdout');
    expect(updates).toEqual([]);
    progress.commit();
    expect(updates).toEqual([{ percent: 20 }]);
    expect(emitted).toEqual([{ percent: 20 }]);
    expect(Object.isFrozen(updates[0])).toBe(true);
    progress.commit();
    expect(updates).toHaveLength(1);
  });

  test('a parser that throws is reported with its line and stream; the next lines are still read', () => {
    const boom = new Error('bad line');
    const { progress, updates, errors } = tracker((line) => {
      if (line === 'boom') throw boom;
      return parsePercent(line);
    });
    progress.line('10%', 'stdout');
    progress.line('boom', 'stderr');
    progress.line('30%', 'stdout');
    progress.commit();
    expect(errors).toEqual([[boom, 'boom', 'stderr']]);
    expect(updates).toEqual([{ percent: 30 }]);
  });

  test("a custom parser's updates are checked, a getter that throws counts as the parser throwing", () => {
    const { progress, updates, errors } = tracker((line) =>
      line === 'getter'
        ? ({
            get percent(): number {
              throw new Error('getter');
            },
          } as ProgressUpdate)
        : { current: Number(line), total: 8 },
    );
    progress.line('2', 'stdout');
    progress.line('getter', 'stdout');
    progress.commit();
    expect(updates).toEqual([{ percent: 25, current: 2, total: 8 }]);
    expect(errors).toHaveLength(1);
  });
});
