import { createHash } from 'node:crypto';
import { realpath } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';

/** Abstract Unix sockets exist on Linux only. */
const SUPPORTED = process.platform === 'linux';

/**
 * The name of the abstract socket that stands for the lock of `dir`: derived from the directory's
 * real path, so two spellings of one directory (symlinks, `..`) share it.
 */
export async function lockSocketName(dir: string): Promise<string> {
  const real = await realpath(dir);
  const digest = createHash('sha256').update(real).digest('hex').slice(0, 48);
  return `\0execution-engine/journal/${digest}`;
}

/**
 * Holds the lock of a journal directory by a means no file operation can defeat: a Linux
 * abstract Unix socket bound under a name derived from the directory. The kernel keeps the name
 * for as long as the owning process lives (the descriptor is close-on-exec, so children never
 * inherit it) and frees it the moment that process dies, however it dies. Deleting
 * `journal.lock` (temporary-directory cleaners do) therefore cannot let a second engine in.
 *
 * Resolves with the bound server (unref'd: it never keeps Node alive), `'busy'` when a live
 * process holds the name, or `undefined` where abstract sockets are not available (then the lock
 * file alone, re-checked before every start, guards the directory).
 */
export async function bindLockSocket(dir: string): Promise<Server | 'busy' | undefined> {
  if (!SUPPORTED) return undefined;
  const name = await lockSocketName(dir);
  const server = createServer((socket) => socket.destroy());
  return new Promise((resolve) => {
    const onError = (error: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      // EADDRINUSE: held by a live process. Anything else: no abstract sockets here (a sandbox).
      resolve(error.code === 'EADDRINUSE' ? 'busy' : undefined);
    };
    const onListening = () => {
      server.off('error', onError);
      server.on('error', () => {}); // a listening server reports nothing worth a crash
      server.unref();
      resolve(server);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(name);
  });
}

/** Unbinds a lock socket; the name is free for another engine once this resolves. */
export function unbindLockSocket(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}
