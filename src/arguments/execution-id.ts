import { v7 } from 'uuid';

export { isValidExecutionId } from './id-pattern.js';

/**
 * A UUID v7 (RFC 9562): 48-bit millisecond timestamp, then a counter and random bits, from `uuid`.
 * Called without options, `uuid`'s `v7()` keeps one state for the process: ids made in the same
 * millisecond (or after the clock stepped back) continue a 32-bit counter seeded at random, and
 * its overflow borrows the next millisecond. So every id sorts after the previous one and sorting
 * ids sorts by creation. (Passing options such as `msecs` or `random` would bypass that state.)
 */
export function uuidv7(): string {
  return v7();
}
