import { ExecutionError } from '../errors.js';

/** Who holds a journal lock, as written in its lock file. */
export interface JournalLockOwner {
  pid: number;
  bootId?: string;
  procStartTime?: string;
  acquiredAt?: string;
}

/**
 * Another live engine (in this process or another one) owns the journal directory.
 * A lock left by a dead owner, or by a previous boot, is taken over instead.
 */
export class JournalLockedError extends ExecutionError {
  /** The locked journal directory. */
  readonly dir: string;
  /** The owner from the lock file, when it could be read. */
  readonly owner?: JournalLockOwner;

  constructor(dir: string, owner?: JournalLockOwner) {
    const by = owner === undefined ? 'another engine' : `process ${owner.pid}`;
    super('JOURNAL_LOCKED', `Journal directory is locked by ${by}: ${dir}`);
    this.dir = dir;
    if (owner !== undefined) this.owner = owner;
  }
}

/** A journal was used before `open()` or after `close()`. */
export class JournalNotOpenError extends ExecutionError {
  constructor(dir: string) {
    super('JOURNAL_NOT_OPEN', `Journal is not open (call open() first): ${dir}`);
  }
}

Object.defineProperty(JournalLockedError.prototype, 'name', {
  value: 'JournalLockedError',
  configurable: true,
  writable: true,
});
Object.defineProperty(JournalNotOpenError.prototype, 'name', {
  value: 'JournalNotOpenError',
  configurable: true,
  writable: true,
});
