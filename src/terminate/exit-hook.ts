import { onExit } from 'signal-exit';
import { signalGroup } from './process-group.js';

/** Process groups to kill when the Node process exits, shared by every engine of this process. */
const groups = new Set<number>();
/** Removes our signal-exit callback; set while the hook is installed. */
let removeHook: (() => void) | undefined;
/** The hook stays a moment after the last group ends, so back-to-back commands do not re-install it. */
let uninstallTimer: NodeJS.Timeout | undefined;
const LINGER_MS = 1000;

function killAll(): void {
  for (const pgid of groups) signalGroup(pgid, 'SIGKILL');
  groups.clear();
}

function install(): void {
  clearTimeout(uninstallTimer);
  uninstallTimer = undefined;
  // signal-exit runs the callback on `exit` (including `process.exit()`) and on every signal that
  // would end the process (SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGABRT, …) when nothing but
  // signal-exit listens to it; it then re-raises the signal itself, so the host ends as it would
  // have (killed by that signal). A signal the app listens to is left to the app. `alwaysLast`:
  // the groups are killed after every other exit handler has run (they may still talk to them).
  // The callback returns nothing, so signal-exit never swallows the re-raise.
  removeHook ??= onExit(
    () => {
      killAll();
    },
    { alwaysLast: true },
  );
}

function uninstall(): void {
  removeHook?.();
  removeHook = undefined;
}

/**
 * Kills `pgid` with SIGKILL if the Node process exits (normally, via `process.exit()`, or on a
 * signal that ends it) while it is registered. The hook is installed only while groups are
 * registered (and for a second after the last one), so an idle engine changes nothing about how
 * the host handles signals; with no group registered it only re-raises the signal.
 */
export function killOnExit(pgid: number): void {
  groups.add(pgid);
  install();
}

/** Stops tracking `pgid` (its execution ended). */
export function forgetOnExit(pgid: number): void {
  groups.delete(pgid);
  if (groups.size > 0 || uninstallTimer !== undefined) return;
  // Unref'd: a lingering hook never keeps the process alive, and with no group it changes nothing.
  uninstallTimer = setTimeout(() => {
    uninstallTimer = undefined;
    if (groups.size === 0) uninstall();
  }, LINGER_MS).unref();
}
