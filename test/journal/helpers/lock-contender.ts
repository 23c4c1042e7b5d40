// Run with `node --import tsx lock-contender.ts <dir>`: prints `ready`, waits for `<dir>/go`,
// tries to open a FileJournal on <dir>, prints `won` or `locked`, and (if it won) holds the lock
// until its stdin ends.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { FileJournal } from '../../../src/journal/file-journal.js';

const dir = process.argv[2] ?? '.';
process.stdout.write('ready\n');
while (!existsSync(join(dir, 'go'))) await delay(2);
const journal = new FileJournal({ dir });
try {
  await journal.open();
  process.stdout.write('won\n');
  process.stdin.resume();
  await new Promise((resolve) => process.stdin.on('end', resolve));
  await journal.close();
} catch (error) {
  process.stdout.write(
    `${(error as { code?: string }).code === 'JOURNAL_LOCKED' ? 'locked' : String(error)}\n`,
  );
}
