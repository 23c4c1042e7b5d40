import { join } from 'node:path';
import type { JournalFiles } from './journal-types.js';

/** Suffix of record files. */
export const RECORD_SUFFIX = '.json';

/** Name of the lock file; no id can produce it, since every per-id file ends in a known suffix. */
export const LOCK_FILE_NAME = 'journal.lock';

/**
 * The files of execution `id` in journal directory `dir`:
 * `<id>.json`, `<id>.stdout.log`, `<id>.stderr.log`, `<id>.exit`, `<id>.input` and `<id>.output`
 * (its `EXECUTION_OUTPUT` file).
 */
export function journalFiles(dir: string, id: string): JournalFiles {
  return {
    record: join(dir, `${id}${RECORD_SUFFIX}`),
    stdoutLog: join(dir, `${id}.stdout.log`),
    stderrLog: join(dir, `${id}.stderr.log`),
    exit: join(dir, `${id}.exit`),
    input: join(dir, `${id}.input`),
    output: join(dir, `${id}.output`),
  };
}
