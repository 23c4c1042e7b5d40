import { readFileSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { FileJournal } from '../../src/journal/file-journal.js';
import { JournalNotOpenError } from '../../src/journal/journal-errors.js';
import type { JournalRecord } from '../../src/journal/journal-types.js';
import { encodeRecord } from '../../src/journal/record-codec.js';
import { deadPid } from './helpers/processes.js';
import { makeRecord } from './helpers/records.js';
import { makeTempDir, removeTempDirs } from './helpers/temp-dir.js';

const journals: FileJournal[] = [];

async function openJournal(dir?: string): Promise<FileJournal> {
  const journal = new FileJournal({ dir: dir ?? (await makeTempDir()) });
  journals.push(journal);
  await journal.open();
  return journal;
}

afterEach(async () => {
  await Promise.all(journals.splice(0).map((journal) => journal.close()));
  await removeTempDirs();
});

describe('FileJournal', () => {
  test('writes each record as readable JSON in <dir>/<id>.json and leaves no temporary file', async () => {
    const journal = await openJournal();
    const record = makeRecord({ id: 'job.1' });
    await journal.write(record);
    expect(JSON.parse(await readFile(join(journal.dir, 'job.1.json'), 'utf8'))).toEqual(record);
    expect((await readdir(journal.dir)).sort()).toEqual(['job.1.json', 'journal.lock']);
    expect(await journal.readAll()).toEqual({ records: [record], unreadable: [] });
  });

  test('later writes of one id are never overtaken by earlier ones', async () => {
    const journal = await openJournal();
    const writes = Array.from({ length: 40 }, (_, n) => journal.write(makeRecord({ pid: n + 1 })));
    const seen: number[] = [];
    const path = join(journal.dir, 'exec-1.json');
    writes.forEach((write, n) => {
      void write.then(() => {
        // Once write n is durable the file holds it or a later one, never an earlier one.
        expect(JSON.parse(readFileSync(path, 'utf8')).pid).toBeGreaterThanOrEqual(n + 1);
        seen.push(n);
      });
    });
    await Promise.all(writes);
    expect(seen).toEqual(Array.from({ length: 40 }, (_, n) => n));
    expect((await journal.readAll()).records[0]?.pid).toBe(40);
  });

  test('a reader never sees a torn record while it is being rewritten', async () => {
    const journal = await openJournal();
    const big = 'x'.repeat(200_000);
    await journal.write(makeRecord({ request: { command: { type: 'shell', command: big } } }));
    let writing = true;
    const writer = (async () => {
      for (let n = 0; n < 30; n++) {
        await journal.write(
          makeRecord({ pid: n + 1, request: { command: { type: 'shell', command: big } } }),
        );
      }
      writing = false;
    })();
    let reads = 0;
    while (writing) {
      const text = await readFile(join(journal.dir, 'exec-1.json'), 'utf8');
      expect(() => JSON.parse(text)).not.toThrow();
      reads += 1;
    }
    await writer;
    expect(reads).toBeGreaterThan(0);
  });

  test('writes of different ids run in parallel and readAll lists them oldest first', async () => {
    const journal = await openJournal();
    const records = Array.from({ length: 25 }, (_, n) =>
      makeRecord({
        id: `id-${24 - n}`,
        createdAt: new Date(Date.UTC(2025, 0, 1, 0, 0, 24 - n)).toISOString(),
      }),
    );
    await Promise.all(records.map((record) => journal.write(record)));
    const { records: read } = await journal.readAll();
    expect(read.map((record) => record.id)).toEqual(Array.from({ length: 25 }, (_, n) => `id-${n}`));
  });

  test('torn, garbage and foreign record files are reported as unreadable with a reason', async () => {
    const journal = await openJournal();
    const good = makeRecord({ id: 'good' });
    await journal.write(good);
    const valid = encodeRecord(makeRecord({ id: 'torn' }));
    await writeFile(join(journal.dir, 'torn.json'), valid.slice(0, 40));
    await writeFile(join(journal.dir, 'garbage.json'), Buffer.from([0xff, 0xfe, 0x00, 0x7b, 0x80, 0x0a]));
    await writeFile(join(journal.dir, 'empty.json'), '');
    await writeFile(join(journal.dir, 'moved.json'), encodeRecord(makeRecord({ id: 'other' })));
    await writeFile(join(journal.dir, 'not an id.json'), '{}');
    const { records, unreadable } = await journal.readAll();
    expect(records).toEqual([good]);
    expect(unreadable).toEqual([
      { id: 'empty', file: join(journal.dir, 'empty.json'), reason: 'empty file' },
      {
        id: 'garbage',
        file: join(journal.dir, 'garbage.json'),
        reason: expect.stringMatching(/^invalid JSON/),
      },
      {
        id: 'moved',
        file: join(journal.dir, 'moved.json'),
        reason: expect.stringContaining('does not match'),
      },
      { file: join(journal.dir, 'not an id.json'), reason: 'file name is not an execution id' },
      { id: 'torn', file: join(journal.dir, 'torn.json'), reason: expect.stringMatching(/^invalid JSON/) },
    ]);
  });

  test('readAll of a directory that does not exist is empty', async () => {
    const journal = new FileJournal({ dir: join(await makeTempDir(), 'missing') });
    expect(await journal.readAll()).toEqual({ records: [], unreadable: [] });
  });

  test.each([
    ['3\n', { exitCode: 3, signal: null }],
    ['0\n', { exitCode: 0, signal: null }],
    ['137\n', { exitCode: null, signal: 'SIGKILL' }],
    ['143', { exitCode: null, signal: 'SIGTERM' }],
  ])('readExit decodes the exit file %j', async (text, expected) => {
    const journal = await openJournal();
    await writeFile(journal.files('e').exit, text);
    expect(await journal.readExit('e')).toEqual({ ...expected, completedAt: expect.any(Date) });
  });

  test.each(['', 'garbage\n', '300\n', '-1\n'])(
    'readExit ignores the malformed exit file %j',
    async (text) => {
      const journal = await openJournal();
      await writeFile(journal.files('e').exit, text);
      expect(await journal.readExit('e')).toBeUndefined();
    },
  );

  test('readExit is undefined while there is no exit file', async () => {
    const journal = await openJournal();
    expect(await journal.readExit('nothing')).toBeUndefined();
  });

  test('remove deletes the record with its exit, input and log files, and tolerates missing ones', async () => {
    const journal = await openJournal();
    await journal.write(makeRecord({ id: 'gone' }));
    await journal.write(makeRecord({ id: 'kept' }));
    const files = journal.files('gone');
    for (const path of [files.exit, files.input, files.stdoutLog, files.stderrLog])
      await writeFile(path, 'x');
    await journal.remove('gone');
    await journal.remove('never-existed');
    expect((await readdir(journal.dir)).sort()).toEqual(['journal.lock', 'kept.json']);
  });

  test('open deletes temporary files of writers that died, not those of live ones nor exit files', async () => {
    const dir = await makeTempDir();
    const dead = await deadPid();
    await writeFile(join(dir, `a.json.${dead}.0123abcd.tmp`), '{');
    await writeFile(join(dir, `journal.lock.${dead}.0123abcd.tmp`), '{');
    await writeFile(join(dir, `journal.lock.takeover.${dead}.0123abcd.tmp`), '{');
    const live = `journal.lock.${process.pid}.0123abcd.tmp`;
    await writeFile(join(dir, live), '{');
    await writeFile(join(dir, 'a.exit.tmp'), '1');
    const journal = await openJournal(dir);
    expect((await readdir(journal.dir)).sort()).toEqual(['a.exit.tmp', live, 'journal.lock'].sort());
  });

  test('close waits for pending writes, then refuses more', async () => {
    const journal = await openJournal();
    const write = journal.write(makeRecord({ id: 'late' }));
    await journal.close();
    await write;
    expect((await journal.readAll()).records).toHaveLength(1);
    await expect(journal.write(makeRecord())).rejects.toBeInstanceOf(JournalNotOpenError);
    await expect(journal.remove('late')).rejects.toMatchObject({ code: 'JOURNAL_NOT_OPEN' });
  });

  test('rejects invalid records and ids before touching the disk', async () => {
    const journal = await openJournal();
    await expect(journal.write({ ...makeRecord(), id: '../x' })).rejects.toThrow(TypeError);
    await expect(
      journal.write({ ...makeRecord(), status: 'odd' } as unknown as JournalRecord),
    ).rejects.toThrow(/status/);
    expect(() => journal.files('a/b')).toThrow(TypeError);
    expect(await readdir(journal.dir)).toEqual(['journal.lock']);
  });

  test('a write before open is refused', async () => {
    const journal = new FileJournal({ dir: await makeTempDir() });
    await expect(journal.write(makeRecord())).rejects.toMatchObject({ code: 'JOURNAL_NOT_OPEN' });
  });
});
