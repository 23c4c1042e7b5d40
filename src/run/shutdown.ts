import type { RecoveryReport } from '../journal/journal-types.js';
import type { ShutdownOptions } from '../types.js';
import { type LongTimer, setLongTimeout } from '../utils/long-timer.js';
import type { Lifecycle } from './lifecycle.js';

/**
 * Shuts executions down: cancels the queued ones, waits up to `graceMs` for the running ones,
 * then terminates the rest (`kill`), or, with a journal and `kill: false`, leaves them running
 * for the next engine to adopt. Closes the journal last. `hooks.beforeStop` runs once recovery has
 * ended, before anything is stopped; `hooks.beforeClose` before the journal is closed.
 */
export async function shutDown(
  lifecycle: Lifecycle,
  recovery: Promise<RecoveryReport> | undefined,
  { graceMs = 30_000, kill = true }: ShutdownOptions,
  hooks: { beforeStop?: () => Promise<void>; beforeClose?: () => Promise<void> } = {},
): Promise<void> {
  await recovery?.catch(() => {});
  await hooks.beforeStop?.();
  // Those not started yet: queued, or still having their journal record written.
  for (const record of lifecycle.unstarted()) void lifecycle.stop(record, 'shutdown', 'shutdown');
  const running = lifecycle.running();
  const settled = Promise.all(running.map((record) => lifecycle.wait(record.id)));
  let timer: LongTimer | undefined;
  const grace = new Promise<void>((resolve) => {
    timer = setLongTimeout(resolve, graceMs); // any length: never cut short by timer overflow
  });
  await Promise.race([settled, grace]);
  timer?.clear();
  if (kill) {
    await Promise.all(running.map((record) => lifecycle.stop(record, 'shutdown', 'shutdown')));
  } else if (lifecycle.durability !== undefined) {
    await lifecycle.detachAll();
  }
  await hooks.beforeClose?.();
  await lifecycle.durability?.close();
  await lifecycle.outputDir.dispose();
}
