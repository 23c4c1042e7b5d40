import { unlink } from 'node:fs/promises';

/**
 * Deletes an execution's overflow files (`streamToFile`) when they are temporary files, that is
 * when there is no `logDir`: files in `logDir` are the user's and are kept.
 */
export async function removeTemporaryOverflowFiles(
  files: readonly (string | undefined)[],
  logDir: string | undefined,
): Promise<void> {
  if (logDir !== undefined) return;
  const paths = files.filter((file) => file !== undefined);
  await Promise.all(paths.map((file) => unlink(file).catch(() => {})));
}
