import { ExecutionError, nameErrors } from '../errors.js';

/** Who holds a journal lock, as written in its lock file. */
export interface JournalLockOwner {
  pid: number;
  bootId?: string;
  procStartTime?: string;
  acquiredAt?: string;
}

/**
 * Another live engine (in this process or another one) owns the journal directory.
 * A lock left by a dead owner, or by a previous boot, is taken over instead. Also the error of an
 * engine that finds its own lock gone or replaced (`lost`): it then starts nothing more.
 */
export class JournalLockedError extends ExecutionError {
  /** The locked journal directory. */
  readonly dir: string;
  /** The owner from the lock file, when it could be read. */
  readonly owner?: JournalLockOwner;

  /** True when this engine owned the lock and lost it (the lock file was deleted or replaced). */
  readonly lost: boolean;

  constructor(dir: string, owner?: JournalLockOwner, state?: 'lost') {
    const by = owner === undefined ? 'another engine' : `process ${owner.pid}`;
    super(
      'JOURNAL_LOCKED',
      state === 'lost'
        ? `Journal lock was lost (its lock file was deleted or replaced), so this engine starts nothing more from it: ${dir}`
        : `Journal directory is locked by ${by}: ${dir}`,
    );
    this.dir = dir;
    this.lost = state === 'lost';
    if (owner !== undefined) this.owner = owner;
  }
}

/** A journal was used before `open()` or after `close()`. */
export class JournalNotOpenError extends ExecutionError {
  constructor(dir: string) {
    super('JOURNAL_NOT_OPEN', `Journal is not open (call open() first): ${dir}`);
  }
}

/**
 * The journal could not record a state change that must be durable before the engine goes on
 * (an execution about to start): the directory is read-only, full, or gone. Nothing was run.
 */
export class JournalWriteError extends ExecutionError {
  constructor(what: string, cause: unknown, executionId?: string) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super('JOURNAL_WRITE_FAILED', `Could not write the journal (${what}): ${reason}`, {
      cause,
      ...(executionId === undefined ? {} : { executionId }),
    });
  }
}

nameErrors({ JournalLockedError, JournalNotOpenError, JournalWriteError });
