import { afterEach, describe, expect, test } from 'vitest';
import type { ExecutionJournal } from '../../src/journal/journal-types.js';
import { makeRecord } from './helpers/records.js';

/** Makes stores for the suite: `create(place)` opens nothing; stores on one `place` share their data. */
export interface StoreFactory {
  /** A fresh place for a test (a directory, a key prefix). */
  place(): Promise<string>;
  create(place: string): ExecutionJournal;
  /** Makes the stored record of `id` unreadable (torn, garbage), as a crash or a disk can. */
  corrupt(place: string, id: string): Promise<void>;
  cleanup(): Promise<void>;
}

/**
 * The contract of the `ExecutionStore` port (the public `ExecutionJournal` interface): every
 * implementation (the file journal today; a Redis store later) passes these tests.
 */
export function executionStoreConformance(name: string, factory: StoreFactory): void {
  describe(`ExecutionStore conformance: ${name}`, () => {
    const opened: ExecutionJournal[] = [];
    const open = async (place: string) => {
      const store = factory.create(place);
      await store.open();
      opened.push(store);
      return store;
    };

    afterEach(async () => {
      await Promise.all(opened.splice(0).map((store) => store.close()));
      await factory.cleanup();
    });

    test('a written record reads back as written; a later write replaces it', async () => {
      const store = await open(await factory.place());
      const record = makeRecord({ id: 'a' });
      await store.write(record);
      expect((await store.readAll()).records).toEqual([record]);
      const running = { ...record, status: 'running' as const, pid: 123, pgid: 123 };
      await store.write(running);
      expect((await store.readAll()).records).toEqual([running]);
    });

    test('records read back oldest first, by creation time then id', async () => {
      const store = await open(await factory.place());
      const late = makeRecord({ id: 'b', createdAt: '2025-01-02T00:00:00.000Z' });
      const earlyB = makeRecord({ id: 'b2', createdAt: '2025-01-01T00:00:00.000Z' });
      const earlyA = makeRecord({ id: 'a2', createdAt: '2025-01-01T00:00:00.000Z' });
      await Promise.all([store.write(late), store.write(earlyB), store.write(earlyA)]);
      expect((await store.readAll()).records.map((r) => r.id)).toEqual(['a2', 'b2', 'b']);
    });

    test('writes of one id land in call order, even when not awaited one by one', async () => {
      const store = await open(await factory.place());
      const writes = Array.from({ length: 20 }, (_, i) => store.write(makeRecord({ id: 'x', pid: i + 1 })));
      await Promise.all(writes);
      expect((await store.readAll()).records.map((r) => r.pid)).toEqual([20]);
    });

    test('remove deletes a record (and is fine for one that does not exist)', async () => {
      const store = await open(await factory.place());
      await store.write(makeRecord({ id: 'gone' }));
      await store.remove('gone');
      await store.remove('never-there');
      expect((await store.readAll()).records).toEqual([]);
    });

    test('there is no exit status before the process recorded one', async () => {
      const store = await open(await factory.place());
      await expect(store.readExit('nothing')).resolves.toBeUndefined();
    });

    test('a second store on the same place is refused while the first is open, and opens after it closes', async () => {
      const place = await factory.place();
      const first = await open(place);
      const second = factory.create(place);
      await expect(second.open()).rejects.toMatchObject({ code: 'JOURNAL_LOCKED' });
      await expect(first.assertOwned?.() ?? Promise.resolve()).resolves.toBeUndefined();
      await first.close();
      await second.open();
      opened.push(second);
      await expect(second.readAll()).resolves.toMatchObject({ records: [] });
    });

    test('using a closed store is a typed error', async () => {
      const store = await open(await factory.place());
      await store.close();
      await expect(store.write(makeRecord())).rejects.toMatchObject({ code: 'JOURNAL_NOT_OPEN' });
    });

    test('an unreadable record is reported with a reason, never thrown, and the others still read', async () => {
      const place = await factory.place();
      const store = await open(place);
      await store.write(makeRecord({ id: 'good' }));
      await store.write(makeRecord({ id: 'torn' }));
      await factory.corrupt(place, 'torn');
      const { records, unreadable } = await store.readAll();
      expect(records.map((r) => r.id)).toEqual(['good']);
      expect(unreadable).toEqual([expect.objectContaining({ id: 'torn', reason: expect.any(String) })]);
    });
  });
}
