import { afterEach } from 'vitest';
import { journalFiles } from '../../../src/journal/journal-files.js';
import { killStarted, processesMentioning, waitFor } from './processes.js';
import { makeTempDir, removeTempDirs } from './temp-dir.js';

let dirs: string[] = [];

// Nothing started by a test may outlive it: every command line names the test's directory.
afterEach(async () => {
  killStarted();
  for (const dir of dirs)
    await waitFor(() => processesMentioning(dir).length === 0, 5000, `no process in ${dir}`);
  dirs = [];
  await removeTempDirs();
});

/** A fresh journal directory and the files of `id` in it, checked and removed after the test. */
export async function setup(id = 'job') {
  const dir = await makeTempDir();
  dirs.push(dir);
  return { dir, files: journalFiles(dir, id) };
}
