import type { RecoveryReport } from '../journal/journal-types.js';
import type { Lifecycle } from '../run/lifecycle.js';
import type { ShutdownOptions } from '../types.js';
import { type LongTimer, setLongTimeout } from '../utils/long-timer.js';

/**
 * Shuts executions down: cancels the queued ones, waits up to `graceMs` for the running ones,
 * then terminates the rest (`kill`), or, with a journal and `kill: false`, leaves them running
 * for the next engine to adopt. Closes the journal last.
 */
export async function shutDown(
  lifecycle: Lifecycle,
  recovery: Promise<RecoveryReport> | undefined,
  { graceMs = 30_000, kill = true }: ShutdownOptions,
): Promise<void> {
  await recovery?.catch(() => {});
  const { registry, scheduler, runs, waiters } = lifecycle;
  for (const id of scheduler.drain()) {
    const record = registry.get(id);
    if (record !== undefined) void lifecycle.stop(record, 'shutdown', 'shutdown');
  }
  // Also those registered but not queued yet (their journal record is being written).
  for (const record of registry.filter(new Set(['queued'])))
    void lifecycle.stop(record, 'shutdown', 'shutdown');
  const running = [...runs.keys()].map((id) => registry.require(id));
  const settled = Promise.all(running.map((record) => waiters.wait(record.id)));
  let timer: LongTimer | undefined;
  const grace = new Promise<void>((resolve) => {
    timer = setLongTimeout(resolve, graceMs); // any length: never cut short by timer overflow
  });
  await Promise.race([settled, grace]);
  timer?.clear();
  if (kill) {
    await Promise.all(running.map((record) => lifecycle.stop(record, 'shutdown', 'shutdown')));
  } else if (lifecycle.durability !== undefined) {
    await Promise.all([...runs.values()].map((run) => run.detach?.()));
  }
  await lifecycle.durability?.close();
}
