import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { FileJournal } from '../../src/journal/file-journal.js';
import { decodeRecord, encodeRecord } from '../../src/journal/record-codec.js';
import { makeRecord } from './helpers/records.js';
import { makeTempDir, removeTempDirs } from './helpers/temp-dir.js';

// Regression: the journal accepted the ids `.` and `..`, which requests refuse; ids become file
// names, so both now share one rule (src/arguments/id-pattern.ts).

const journals: FileJournal[] = [];

afterEach(async () => {
  await Promise.all(journals.splice(0).map((journal) => journal.close()));
  await removeTempDirs();
});

async function openJournal(): Promise<FileJournal> {
  const journal = new FileJournal({ dir: await makeTempDir() });
  journals.push(journal);
  await journal.open();
  return journal;
}

describe('ids in the journal', () => {
  test.each(['.', '..'])('the id %j is refused before touching the disk', async (id) => {
    const journal = await openJournal();
    expect(() => journal.files(id)).toThrow(TypeError);
    await expect(journal.write(makeRecord({ id }))).rejects.toThrow(TypeError);
    expect(await readdir(journal.dir)).toEqual(['journal.lock']);
  });

  test('record files named `..json` and `...json` (ids `.` and `..`) are unreadable; `....json` is id `...`', async () => {
    const journal = await openJournal();
    await writeFile(join(journal.dir, '..json'), encodeRecord(makeRecord({ id: '.' })));
    await writeFile(join(journal.dir, '...json'), encodeRecord(makeRecord({ id: '..' })));
    const dots = makeRecord({ id: '...' });
    await journal.write(dots);
    const { records, unreadable } = await journal.readAll();
    expect(records).toEqual([dots]);
    expect(unreadable).toEqual(
      expect.arrayContaining([
        { file: join(journal.dir, '..json'), reason: 'file name is not an execution id' },
        { file: join(journal.dir, '...json'), reason: 'file name is not an execution id' },
      ]),
    );
    expect(unreadable).toHaveLength(2);
  });

  test.each(['.', '..'])('a record whose id is %j does not decode', (id) => {
    expect(decodeRecord(encodeRecord(makeRecord({ id })))).toEqual({ reason: '`id` is missing or invalid' });
  });
});
