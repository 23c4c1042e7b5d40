import { constants } from 'node:os';

/** True for a signal name this platform knows, like `'SIGTERM'`. */
export function isSignalName(value: unknown): value is NodeJS.Signals {
  return typeof value === 'string' && Object.hasOwn(constants.signals, value);
}
