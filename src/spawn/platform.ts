import { InvalidConfigError } from '../errors.js';

/**
 * The platform this Node process runs on, read once. Functions with a Windows branch take the
 * platform as a parameter defaulting to this, so tests can take that branch on Linux.
 */
export const HOST_PLATFORM: NodeJS.Platform = process.platform;

/**
 * Throws `InvalidConfigError` naming `journal` on Windows. A journaled execution runs under a
 * `/bin/sh` wrapper that records its exit status, so that it can outlive the host and be adopted by
 * the next engine; Windows has no such shell, so a journal cannot keep its promises there.
 */
export function assertJournalSupported(platform: NodeJS.Platform = HOST_PLATFORM): void {
  if (platform !== 'win32') return;
  throw new InvalidConfigError(
    'journal',
    'Expected no `journal` option on Windows: journaled executions run under a /bin/sh wrapper (so that they can outlive the host), which Windows does not have',
  );
}
