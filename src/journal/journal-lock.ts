import { randomUUID } from 'node:crypto';
import { link, unlink } from 'node:fs/promises';
import type { Server } from 'node:net';
import { join } from 'node:path';
import { fsyncDir, tempPathFor, writeAndSync } from './durable-write.js';
import { JournalLockedError, type JournalLockOwner } from './journal-errors.js';
import { LOCK_FILE_NAME } from './journal-files.js';
import { isHeld, readLockFile } from './lock-file.js';
import { bindLockSocket, unbindLockSocket } from './lock-socket.js';
import { readBootId, readProcessStartTime } from './proc-info.js';

/** Rounds of create / check / remove-stale before giving up (each round loses only to a live owner). */
const MAX_ATTEMPTS = 5;
/** `link` errors meaning "this file system has no hard links": fall back to an exclusive create. */
const NO_LINK = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV']);

/** How long a busy lock socket whose recorded owner is dead is waited for. */
const BUSY_SOCKET_WAIT_MS = 2000;

const errorCode = (error: unknown) => (error as NodeJS.ErrnoException).code;

/**
 * The exclusive lock of a journal directory: the file `journal.lock` holding the owner's pid,
 * boot id and process start time. It is created race-free (a fully written temporary file is
 * hard-linked into place, which fails if the name exists; exclusive create where the file
 * system has no hard links). A lock whose owner is dead, or from another boot, is stale: it is
 * removed under a short-lived `journal.lock.takeover` file, and only if it is still the very
 * lock that was judged stale, so two contenders can never both win.
 *
 * A file can be deleted while its owner lives (temporary-directory cleaners do), so on Linux the
 * lock is also held by an abstract socket that only the owner's death frees (see
 * {@link bindLockSocket}), and everywhere {@link verify} re-checks the file before each start.
 */
export class JournalLock {
  readonly #dir: string;
  readonly #path: string;
  // Exact text of the lock we hold, so release never removes someone else's.
  #content: string | undefined;
  // The abstract socket that holds the lock where the platform has them.
  #socket: Server | undefined;

  constructor(dir: string) {
    this.#dir = dir;
    this.#path = join(dir, LOCK_FILE_NAME);
  }

  /** Path of the lock file. */
  get path(): string {
    return this.#path;
  }

  /** True between a successful `acquire` and `release`. */
  get held(): boolean {
    return this.#content !== undefined;
  }

  /**
   * Takes the lock, taking over a stale one.
   * @throws JournalLockedError when a live owner (in this process or another) holds it.
   */
  async acquire(): Promise<void> {
    if (this.#content !== undefined) return;
    const socket = await this.#bindSocket();
    try {
      this.#content = await this.#acquireFile();
      this.#socket = socket;
    } catch (error) {
      if (socket !== undefined) await unbindLockSocket(socket);
      throw error;
    }
  }

  /**
   * Confirms this instance still owns the directory: the lock file still holds its content (a
   * deleted file is put back while the socket proves ownership).
   * @throws JournalLockedError when the lock was lost: deleted or replaced, so another engine may
   * be running the same executions.
   */
  async verify(): Promise<void> {
    const content = this.#content;
    if (content === undefined) throw new JournalLockedError(this.#dir, undefined, 'lost');
    const current = await readLockFile(this.#path).catch(() => undefined);
    if (current?.text === content) return;
    if (current === undefined && this.#socket !== undefined) {
      // Nothing else can own the directory while the socket is bound: restore the file for readers.
      await this.#tryCreate(this.#path, content).catch(() => false);
      return;
    }
    throw new JournalLockedError(this.#dir, current?.owner, 'lost');
  }

  /**
   * Binds the lock socket. A busy name whose lock file names a live owner is locked at once. One
   * whose owner is dead is waited for a moment: a process that was forked by the dead owner and has
   * not yet replaced itself with its program still holds the owner's descriptors.
   * @throws JournalLockedError when the name stays busy.
   */
  async #bindSocket(): Promise<Server | undefined> {
    const deadline = Date.now() + BUSY_SOCKET_WAIT_MS;
    for (;;) {
      const socket = await bindLockSocket(this.#dir);
      if (socket !== 'busy') return socket;
      const existing = await readLockFile(this.#path).catch(() => undefined);
      const held = existing !== undefined && (await isHeld(existing, await readBootId()));
      if (held || Date.now() >= deadline) throw new JournalLockedError(this.#dir, existing?.owner);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  /** Creates the lock file, taking over a stale one; resolves with its content. */
  async #acquireFile(): Promise<string> {
    const bootId = await readBootId();
    const owner: JournalLockOwner & { token: string } = { pid: process.pid, token: randomUUID() };
    if (bootId !== undefined) owner.bootId = bootId;
    const procStartTime = await readProcessStartTime(process.pid);
    if (procStartTime !== undefined) owner.procStartTime = procStartTime;
    owner.acquiredAt = new Date().toISOString();
    const content = `${JSON.stringify(owner, null, 2)}\n`;
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      if (await this.#tryCreate(this.#path, content)) {
        await fsyncDir(this.#dir);
        return content;
      }
      const existing = await readLockFile(this.#path);
      if (existing === undefined) continue;
      if (await isHeld(existing, bootId)) throw new JournalLockedError(this.#dir, existing.owner);
      await this.#removeStale(existing.text, content, bootId);
    }
    throw new JournalLockedError(this.#dir);
  }

  /** Releases the lock if this instance holds it. Safe to call more than once. */
  async release(): Promise<void> {
    const content = this.#content;
    if (content === undefined) return;
    this.#content = undefined;
    const socket = this.#socket;
    this.#socket = undefined;
    const current = await readLockFile(this.#path);
    if (current?.text === content) {
      await unlink(this.#path).catch(() => undefined);
      await fsyncDir(this.#dir);
    }
    // Unbound last, so no contender sees the socket free while the file is still there.
    if (socket !== undefined) await unbindLockSocket(socket);
  }

  /** Creates `path` with `content` only if it does not exist. */
  async #tryCreate(path: string, content: string): Promise<boolean> {
    const temp = tempPathFor(path);
    try {
      await writeAndSync(temp, content, true);
      await link(temp, path);
      return true;
    } catch (error) {
      if (errorCode(error) === 'EEXIST') return false;
      if (!NO_LINK.has(errorCode(error) ?? '')) throw error;
    } finally {
      await unlink(temp).catch(() => undefined);
    }
    try {
      await writeAndSync(path, content, true);
      return true;
    } catch (error) {
      if (errorCode(error) === 'EEXIST') return false;
      throw error;
    }
  }

  /** Removes the lock if it still has `staleText`, holding the takeover file meanwhile. */
  async #removeStale(staleText: string, content: string, bootId: string | undefined): Promise<void> {
    const guard = `${this.#path}.takeover`;
    if (!(await this.#tryCreate(guard, content))) {
      const other = await readLockFile(guard);
      if (other !== undefined && (await isHeld(other, bootId))) {
        throw new JournalLockedError(this.#dir, other.owner);
      }
      // Left by a contender that died while taking over: drop it (if unchanged) and let the caller retry.
      if (other !== undefined && (await readLockFile(guard))?.text === other.text) {
        await unlink(guard).catch(() => undefined);
      }
      return;
    }
    try {
      const current = await readLockFile(this.#path);
      if (current?.text === staleText) await unlink(this.#path);
    } finally {
      await unlink(guard).catch(() => undefined);
    }
  }
}
