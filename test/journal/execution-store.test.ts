import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FileJournal } from '../../src/journal/file-journal.js';
import { executionStoreConformance } from './execution-store-conformance.js';
import { makeTempDir, removeTempDirs } from './helpers/temp-dir.js';

executionStoreConformance('file journal (FileJournal)', {
  place: () => makeTempDir('store-conformance-'),
  create: (dir) => new FileJournal({ dir }),
  corrupt: (dir, id) => writeFile(join(dir, `${id}.json`), '{"version": 2, "id": "torn", "sta'),
  cleanup: removeTempDirs,
});
