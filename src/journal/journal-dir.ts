import { mkdir, stat } from 'node:fs/promises';
import { isExecutionError } from '../errors.js';
import { JournalWriteError } from './journal-errors.js';

/** A journal directory the engine creates is private: records hold environments and input. */
const DIR_MODE = 0o700;

/** Directories already warned about, so a warning is given once per directory and process. */
const warned = new Set<string>();

/**
 * Makes sure the journal directory exists: created with mode 0700 (and its missing parents
 * too), or, when it already existed with group or world access, kept as it is with a warning
 * (`EXECUTION_ENGINE_JOURNAL_PERMISSIONS`), since records and logs may hold secrets.
 * @throws JournalWriteError when it cannot be created or is not a directory.
 */
export async function prepareJournalDir(dir: string): Promise<void> {
  let created: string | undefined;
  try {
    created = await mkdir(dir, { recursive: true, mode: DIR_MODE });
    const info = await stat(dir);
    if (!info.isDirectory()) throw new Error(`not a directory: ${dir}`);
    if (created === undefined && process.platform !== 'win32' && (info.mode & 0o077) !== 0) {
      warnOnce(dir, info.mode & 0o777);
    }
  } catch (error) {
    throw isExecutionError(error) ? error : new JournalWriteError('create the journal directory', error);
  }
}

/**
 * Wraps an error met while opening a journal in a typed one, keeping the library's own
 * (`JOURNAL_LOCKED`) as they are.
 */
export function journalOpenError(error: unknown): unknown {
  return isExecutionError(error) ? error : new JournalWriteError('open the journal', error);
}

function warnOnce(dir: string, mode: number): void {
  if (warned.has(dir)) return;
  warned.add(dir);
  process.emitWarning(
    `Journal directory ${dir} has mode ${mode.toString(8).padStart(4, '0')}: other users can list or read it. Its records and logs may hold secrets (environment, input, output); consider \`chmod 700\`.`,
    { code: 'EXECUTION_ENGINE_JOURNAL_PERMISSIONS' },
  );
}
