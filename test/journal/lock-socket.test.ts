import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { FileJournal } from '../../src/journal/file-journal.js';
import { bindLockSocket, unbindLockSocket } from '../../src/journal/lock-socket.js';
import { readBootId } from '../../src/journal/proc-info.js';
import { deadPid } from './helpers/processes.js';
import { makeTempDir, removeTempDirs } from './helpers/temp-dir.js';

const journals: FileJournal[] = [];

afterEach(async () => {
  await Promise.all(journals.splice(0).map((journal) => journal.close()));
  await removeTempDirs();
});

/** A directory whose lock socket is bound here, with a lock file naming a dead owner. */
async function busyWithDeadOwner() {
  const dir = await makeTempDir();
  const holder = await bindLockSocket(dir);
  if (holder === undefined || holder === 'busy') throw new Error('expected to bind the lock socket');
  await writeFile(
    join(dir, 'journal.lock'),
    JSON.stringify({ pid: await deadPid(), bootId: await readBootId() }),
  );
  const journal = new FileJournal({ dir });
  journals.push(journal);
  return { holder, journal };
}

// A host SIGKILLed a moment before a new engine opened the journal was, once, still holding the name.
describe.skipIf(process.platform !== 'linux')('a busy lock socket whose recorded owner is dead', () => {
  test('is waited for: once released, the journal opens', async () => {
    const { holder, journal } = await busyWithDeadOwner();
    const opening = journal.open();
    setTimeout(() => void unbindLockSocket(holder), 200);
    await expect(opening).resolves.toBeUndefined();
  });

  test('is refused with JOURNAL_LOCKED when it stays busy', async () => {
    const { holder, journal } = await busyWithDeadOwner();
    const started = Date.now();
    await expect(journal.open()).rejects.toMatchObject({ code: 'JOURNAL_LOCKED' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(1500);
    await unbindLockSocket(holder);
  });
});
