import { afterEach, describe, expect, test } from 'vitest';
import { InvalidRequestError, type ListFilter } from '../../src/index.js';
import { engineWithTwo, shutDownTrackedEngines, thrownBy } from '../helpers/tracked-engine.js';

afterEach(shutDownTrackedEngines);

describe('list(filter)', () => {
  test.each([null, undefined])('%s means no filter', async (filter) => {
    const { engine, done, running } = await engineWithTwo();
    const ids = engine.list(filter as unknown as ListFilter).map((snapshot) => snapshot.id);
    expect(ids).toEqual([done, running]);
  });

  test.each<[string, unknown, string]>([
    ['a status string instead of a filter', 'running', 'filter'],
    ['a number', 5, 'filter'],
    ['an array', ['running'], 'filter'],
    ['a function', () => {}, 'filter'],
    ['an unknown status', { status: 'done' }, 'filter.status'],
    ['an unknown status in an array', { status: ['completed', 'done'] }, 'filter.status'],
    ['a number status', { status: 1 }, 'filter.status'],
    ['a null status', { status: null }, 'filter.status'],
    ['an object status', { status: { running: true } }, 'filter.status'],
    ['a prototype member as status', { status: 'toString' }, 'filter.status'],
  ])('%s is an InvalidRequestError naming the field', async (_, filter, field) => {
    const { engine } = await engineWithTwo();
    const error = thrownBy(() => engine.list(filter as ListFilter));
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect(error).toMatchObject({ field });
  });

  test('valid filters still work: one status, several, none', async () => {
    const { engine, done, running } = await engineWithTwo();
    expect(engine.list({ status: 'completed' }).map((s) => s.id)).toEqual([done]);
    expect(engine.list({ status: ['running', 'queued'] }).map((s) => s.id)).toEqual([running]);
    expect(engine.list({ status: [] })).toEqual([]);
    expect(engine.list({}).length).toBe(2);
  });
});
