import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { delimiter, isAbsolute, join, resolve } from 'node:path';

/** An error shaped like the one a failed spawn reports (`code` ENOENT or EACCES). */
export function spawnLikeError(code: 'ENOENT' | 'EACCES', file: string): NodeJS.ErrnoException {
  const error: NodeJS.ErrnoException = new Error(`spawn ${file} ${code}`);
  error.code = code;
  error.path = file;
  return error;
}

async function isExecutableFile(path: string): Promise<'ok' | 'ENOENT' | 'EACCES'> {
  const info = await stat(path).catch(() => undefined);
  if (info === undefined || !info.isFile()) return 'ENOENT';
  return access(path, constants.X_OK).then(
    () => 'ok' as const,
    () => 'EACCES' as const,
  );
}

/**
 * Finds `file` as `execvp` would: a name with a slash is taken relative to `cwd`; a bare name is
 * looked up on `PATH` (of the environment the process will get). Needed where the process is not
 * spawned directly (the journal's wrapper), so a missing program is still reported as a spawn
 * failure rather than as exit code 127.
 * @throws an error with `code` ENOENT or EACCES, like `spawn` reports.
 */
export async function findExecutable(file: string, path: string | undefined, cwd: string): Promise<string> {
  if (file.includes('/')) {
    const full = isAbsolute(file) ? file : resolve(cwd, file);
    const verdict = await isExecutableFile(full);
    if (verdict !== 'ok') throw spawnLikeError(verdict, file);
    return full;
  }
  let denied = false;
  for (const dir of (path ?? '').split(delimiter)) {
    const candidate = resolve(cwd, join(dir === '' ? '.' : dir, file));
    const verdict = await isExecutableFile(candidate);
    if (verdict === 'ok') return candidate;
    denied ||= verdict === 'EACCES';
  }
  throw spawnLikeError(denied ? 'EACCES' : 'ENOENT', file);
}
