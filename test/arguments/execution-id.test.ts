import { afterEach, describe, expect, test, vi } from 'vitest';
import { isValidExecutionId, uuidv7 } from '../../src/arguments/execution-id.js';
import { exec } from '../../src/index.js';
import { createEngine, shutDownTrackedEngines } from '../helpers/tracked-engine.js';

afterEach(shutDownTrackedEngines);
afterEach(() => {
  vi.restoreAllMocks();
});

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** The 48-bit millisecond timestamp at the start of a UUID v7. */
const timestampOf = (id: string): number => Number.parseInt(id.slice(0, 8) + id.slice(9, 13), 16);

describe('uuidv7', () => {
  test('an id is a UUID v7 whose timestamp is the current time', () => {
    const before = Date.now();
    const id = uuidv7();
    const after = Date.now();
    expect(id).toMatch(UUID_V7);
    expect(timestampOf(id)).toBeGreaterThanOrEqual(before);
    expect(timestampOf(id)).toBeLessThanOrEqual(after + 10);
  });

  test('10,000 ids made in a tight loop are unique, valid and sort in creation order', () => {
    const before = Date.now();
    const ids = Array.from({ length: 10_000 }, () => uuidv7());
    const after = Date.now();
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.filter((id) => !UUID_V7.test(id))).toEqual([]);
    expect([...ids].sort()).toEqual(ids);
    for (let i = 1; i < ids.length; i++) {
      if ((ids[i] as string) <= (ids[i - 1] as string)) {
        throw new Error(`id ${i} (${ids[i]}) does not sort after id ${i - 1} (${ids[i - 1]})`);
      }
    }
    // uuid's 32-bit counter only borrows the next millisecond after 2^31 ids in one millisecond.
    expect(timestampOf(ids[0] as string)).toBeGreaterThanOrEqual(before);
    expect(timestampOf(ids.at(-1) as string)).toBeLessThanOrEqual(after);
  });

  test('100,000 ids generated in a tight loop are strictly increasing as strings', () => {
    let previous = uuidv7();
    let firstOutOfOrder: string | undefined;
    for (let i = 0; i < 100_000; i++) {
      const id = uuidv7();
      if (id <= previous && firstOutOfOrder === undefined)
        firstOutOfOrder = `${previous} then ${id} (id ${i})`;
      previous = id;
    }
    expect(firstOutOfOrder).toBeUndefined();
  });

  test('ids keep increasing when the clock steps back', () => {
    const now = Date.now();
    const first = uuidv7();
    vi.spyOn(Date, 'now').mockReturnValue(now - 60_000);
    const second = uuidv7();
    const third = uuidv7();
    expect(second > first).toBe(true);
    expect(third > second).toBe(true);
    // The timestamp stays where it was instead of going back a minute.
    expect(timestampOf(second)).toBeGreaterThanOrEqual(timestampOf(first));
  });

  test('every id is a valid execution id (usable as a file name)', () => {
    for (let i = 0; i < 100; i++) expect(isValidExecutionId(uuidv7())).toBe(true);
  });
});

describe('default ids of the engine', () => {
  test('an execution without id gets a UUID v7', async () => {
    const engine = createEngine();
    const id = await engine.execute({ command: exec('true') });
    expect(id).toMatch(UUID_V7);
    expect(engine.getExecution(id).id).toBe(id);
    expect((await engine.waitForCompletion(id)).id).toBe(id);
  });

  test('ids of executions made one after the other increase, so list order and id order agree', async () => {
    const engine = createEngine({ maxConcurrentExecutions: 1 });
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) ids.push(await engine.execute({ command: exec('true') }));
    expect(new Set(ids).size).toBe(20);
    expect([...ids].sort()).toEqual(ids);
    expect(engine.list().map((snapshot) => snapshot.id)).toEqual(ids);
  });

  test('ids made by concurrent execute calls are unique', async () => {
    const engine = createEngine({ maxConcurrentExecutions: 1 });
    const ids = await Promise.all(
      Array.from({ length: 20 }, () => engine.execute({ command: exec('true') })),
    );
    expect(new Set(ids).size).toBe(20);
  });
});
