import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { type ExecutionRequest, exec, InvalidRequestError, type JournalRecord } from '../../src/index.js';
import { createEngine, rejectionOf, shutDownTrackedEngines } from '../helpers/tracked-engine.js';

const dirs: string[] = [];
afterEach(async () => {
  await shutDownTrackedEngines();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A fresh journal directory, removed after the test. */
function journalDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ee-metadata-'));
  dirs.push(dir);
  return dir;
}

/** Values JSON cannot carry faithfully, each at some depth inside the metadata. */
function unserialisable(): [string, Record<string, unknown>][] {
  const circular: Record<string, unknown> = { name: 'loop' };
  circular.self = circular;
  const circularArray: unknown[] = [];
  circularArray.push({ back: circularArray });
  class Point {
    x = 1;
  }
  const holey: unknown[] = [1];
  holey[2] = 3; // index 1 is a hole
  let deep: Record<string, unknown> = { leaf: true };
  for (let i = 0; i < 200; i++) deep = { deep };
  return [
    ['a circular object', circular],
    ['a circular array', { list: circularArray }],
    ['a BigInt', { nested: { count: 10n } }],
    ['a function', { callback: () => {} }],
    ['a symbol value', { tag: Symbol('t') }],
    ['a symbol key', { [Symbol('hidden')]: 1, ok: 1 }],
    ['a Map', { lookup: new Map([['a', 1]]) }],
    ['a Set', { items: new Set([1]) }],
    ['a Date', { when: new Date(0) }],
    ['a class instance', { point: new Point() }],
    ['a Uint8Array', { bytes: new Uint8Array(2) }],
    ['NaN', { ratio: Number.NaN }],
    ['Infinity', { list: [1, Number.POSITIVE_INFINITY] }],
    ['undefined in an array', { list: [1, undefined] }],
    ['a hole in an array', { list: holey }],
    ['nesting deeper than 100 levels', deep],
  ];
}

describe('metadata must be JSON-serialisable', () => {
  test.each(unserialisable())(
    '%s is an InvalidRequestError naming metadata, without a journal',
    async (_, bad) => {
      const engine = createEngine();
      const error = await rejectionOf(engine.execute({ command: exec('true'), metadata: bad }));
      expect(error).toBeInstanceOf(InvalidRequestError);
      expect(error).toMatchObject({ field: 'metadata', message: expect.stringMatching(/JSON/) });
      expect(engine.list()).toEqual([]);
    },
  );

  test.each(unserialisable())(
    '%s is an InvalidRequestError naming metadata, with a journal',
    async (_, bad) => {
      const dir = journalDir();
      const engine = createEngine({ journal: { dir } });
      const error = await rejectionOf(engine.execute({ command: exec('true'), metadata: bad }));
      expect(error).toBeInstanceOf(InvalidRequestError);
      expect(error).toMatchObject({ field: 'metadata' });
      expect(engine.list()).toEqual([]);
    },
  );

  test('the stored copy is the JSON form: undefined properties dropped, shared objects copied', async () => {
    const dir = journalDir();
    const engine = createEngine({ journal: { dir } });
    const shared = { n: 1 };
    const given = { a: shared, b: shared, skip: undefined, list: [null, true, 'x', -0.5], empty: {} };
    const id = await engine.execute({ command: exec('true'), metadata: given });
    shared.n = 2; // later changes by the caller do not show
    const expected = { a: { n: 1 }, b: { n: 1 }, list: [null, true, 'x', -0.5], empty: {} };
    const result = await engine.waitForCompletion(id);
    expect(result.metadata).toStrictEqual(expected);
    const record = JSON.parse(readFileSync(join(dir, `${id}.json`), 'utf8')) as JournalRecord;
    expect(record.request.metadata).toStrictEqual(expected);
  });

  test('an own `__proto__` key is kept as data and does not change the prototype', async () => {
    const engine = createEngine();
    const given = JSON.parse('{"__proto__": {"polluted": true}, "ok": 1}') as Record<string, unknown>;
    const result = await engine.run({ command: exec('true'), metadata: given });
    expect(Object.getPrototypeOf(result.metadata)).toBe(Object.prototype);
    expect(Object.hasOwn(result.metadata ?? {}, '__proto__')).toBe(true);
    expect((result.metadata as { polluted?: unknown }).polluted).toBeUndefined();
    expect(JSON.stringify(result.metadata)).toBe('{"__proto__":{"polluted":true},"ok":1}');
  });

  test('a getter is read once and its value stored', async () => {
    const engine = createEngine();
    let reads = 0;
    const metadata = {
      get user() {
        reads++;
        return reads === 1 ? 'alice' : 10n;
      },
    };
    const request: ExecutionRequest = { command: exec('true'), metadata };
    const result = await engine.run(request);
    expect(reads).toBe(1);
    expect(result.metadata).toStrictEqual({ user: 'alice' });
  });
});
