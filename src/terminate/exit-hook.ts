import { signalGroup } from './process-group.js';

/** Process groups to kill when the Node process exits, shared by every engine of this process. */
const groups = new Set<number>();
const EXIT_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
let installed = false;
/** Handlers stay a moment after the last group ends, so back-to-back commands do not re-install them. */
let uninstallTimer: NodeJS.Timeout | undefined;
const LINGER_MS = 1000;

function killAll(): void {
  for (const pgid of groups) signalGroup(pgid, 'SIGKILL');
  groups.clear();
}

function onSignal(signal: NodeJS.Signals): void {
  // The host handles this signal itself (say, a graceful shutdown): leave it in charge; the
  // 'exit' hook still kills what is left when the process does exit.
  if (process.listenerCount(signal) > 1) return;
  killAll();
  uninstall();
  // Re-raise so the host ends as it would have without us (exit code 128 + signal).
  process.kill(process.pid, signal);
}

function install(): void {
  clearTimeout(uninstallTimer);
  uninstallTimer = undefined;
  if (installed) return;
  installed = true;
  process.on('exit', killAll);
  for (const signal of EXIT_SIGNALS) process.on(signal, onSignal);
}

function uninstall(): void {
  if (!installed) return;
  installed = false;
  process.off('exit', killAll);
  for (const signal of EXIT_SIGNALS) process.off(signal, onSignal);
}

/**
 * Kills `pgid` with SIGKILL if the Node process exits (normally, via `process.exit()`, or on
 * SIGINT/SIGTERM/SIGHUP) while it is registered. Handlers are installed only while groups are
 * registered (and for a second after the last one), so an idle engine changes nothing about how
 * the host handles signals; with no group registered they only re-raise the signal.
 */
export function killOnExit(pgid: number): void {
  groups.add(pgid);
  install();
}

/** Stops tracking `pgid` (its execution ended). */
export function forgetOnExit(pgid: number): void {
  groups.delete(pgid);
  if (groups.size > 0 || uninstallTimer !== undefined) return;
  // Unref'd: lingering handlers never keep the process alive, and with no group they change nothing.
  uninstallTimer = setTimeout(() => {
    uninstallTimer = undefined;
    if (groups.size === 0) uninstall();
  }, LINGER_MS).unref();
}
