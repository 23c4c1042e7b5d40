import { randomFillSync } from 'node:crypto';

const ID_PATTERN = /^[A-Za-z0-9._-]{1,128}$/;

/** True when `id` is 1–128 characters of `[A-Za-z0-9._-]` (ids become file names). */
export function isValidExecutionId(id: unknown): id is string {
  return typeof id === 'string' && ID_PATTERN.test(id) && id !== '.' && id !== '..';
}

const random = Buffer.alloc(10);
/** Random bytes drawn 4 KiB at a time: one system call per ~400 ids instead of one per id. */
const pool = Buffer.alloc(4096);
let poolOffset = pool.length;
let lastMs = 0;
let counter = 0;

/** Fills `random` from `start` with fresh random bytes. */
function refill(start: number): void {
  const count = random.length - start;
  if (poolOffset + count > pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  pool.copy(random, start, poolOffset, poolOffset + count);
  poolOffset += count;
}

/**
 * A UUID v7 (RFC 9562): 48-bit millisecond timestamp, then random bits. Ids made in the same
 * millisecond stay ordered through a 12-bit counter in `rand_a`, so sorting ids sorts by creation.
 */
export function uuidv7(): string {
  let ms = Date.now();
  if (ms > lastMs) {
    lastMs = ms;
    refill(0);
    counter = random.readUInt16BE(0) & 0x1ff; // start low so the counter rarely overflows
  } else {
    ms = lastMs;
    counter++;
    if (counter > 0xfff) {
      // Counter exhausted within one millisecond: borrow the next millisecond.
      lastMs = ++ms;
      refill(0);
      counter = 0;
    } else {
      refill(2);
    }
  }
  const hex = ms.toString(16).padStart(12, '0');
  const randA = (0x7000 | counter).toString(16);
  const variant = ((random.readUInt16BE(2) & 0x3fff) | 0x8000).toString(16);
  const tail = random.toString('hex', 4, 10);
  return `${hex.slice(0, 8)}-${hex.slice(8)}-${randA}-${variant}-${tail}`;
}
