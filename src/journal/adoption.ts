import { setTimeout as delay } from 'node:timers/promises';
import type { JournalExit } from './journal-types.js';
import { isSameProcess } from './proc-info.js';

/** Options of {@link waitForAdoptedExit}. */
export interface AdoptedExitOptions {
  /** The recorded pid (the wrapper's). */
  pid: number;
  /** The recorded start time of that pid. */
  procStartTime: string | undefined;
  /** Reads the exit file, e.g. `() => journal.readExit(id)`. */
  readExit: () => Promise<JournalExit | undefined>;
  /** How often to look. @default 100 */
  intervalMs?: number;
  /** Stops waiting; the promise then rejects with the signal's reason. */
  signal?: AbortSignal;
}

/**
 * Waits for an adopted process (one started by a previous host, so not a child of this one and
 * without an `exit` event) to end, by polling its exit file and its pid.
 *
 * @returns the recorded exit once the exit file appears; `undefined` when the process is gone
 * without one (the wrapper was SIGKILLed: the execution is lost). The exit file is read once
 * more after the process is seen gone, since the wrapper writes it just before exiting.
 * The pending timer keeps the event loop alive, as a running child process would.
 */
export async function waitForAdoptedExit(options: AdoptedExitOptions): Promise<JournalExit | undefined> {
  const { pid, procStartTime, readExit, intervalMs = 100, signal } = options;
  for (;;) {
    signal?.throwIfAborted();
    const exit = await readExit();
    if (exit !== undefined) return exit;
    if (!(await isSameProcess(pid, procStartTime))) return readExit();
    // An aborted delay rejects with a generic AbortError: rethrow the signal's own reason.
    await delay(intervalMs, undefined, signal === undefined ? {} : { signal }).catch(() =>
      signal?.throwIfAborted(),
    );
  }
}
