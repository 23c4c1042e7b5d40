import { unlinkSync } from 'node:fs';
import { unlink } from 'node:fs/promises';
import { onExit } from 'signal-exit';

/** Temporary overflow files not deleted yet: deleted when the Node process exits. */
const pending = new Set<string>();
/** Removes our signal-exit callback; set while a file is pending. */
let removeHook: (() => void) | undefined;

function deletePending(): void {
  for (const path of pending) {
    try {
      unlinkSync(path);
    } catch {
      // already gone, or cannot be deleted: nothing more to do at exit
    }
  }
  pending.clear();
}

/**
 * Deletes the temporary file `path` (an overflow file outside `logDir`) when the Node process exits,
 * normally, through `process.exit()` or on a signal that ends it (signal-exit, which re-raises the
 * signal), unless it was deleted with its execution before ({@link removeTemporaryOverflowFiles}).
 * The hook is installed only while a file is pending: with none, the process's exit and signal
 * handling are unchanged, and a pending file never keeps the process alive.
 */
export function deleteOnExit(path: string): void {
  pending.add(path);
  // The callback returns nothing, so signal-exit never swallows the re-raised signal.
  removeHook ??= onExit(() => {
    deletePending();
  });
}

function forget(path: string): void {
  pending.delete(path);
  if (pending.size > 0) return;
  removeHook?.();
  removeHook = undefined;
}

/**
 * Deletes an execution's overflow files (`streamToFile`) when they are temporary files, that is
 * when there is no `logDir`: files in `logDir` are the user's and are kept. A deleted file is no
 * longer deleted at exit ({@link deleteOnExit}).
 */
export async function removeTemporaryOverflowFiles(
  files: readonly (string | undefined)[],
  logDir: string | undefined,
): Promise<void> {
  if (logDir !== undefined) return;
  const paths = files.filter((file) => file !== undefined);
  await Promise.all(
    paths.map((file) =>
      unlink(file)
        .catch(() => {})
        .finally(() => forget(file)),
    ),
  );
}
