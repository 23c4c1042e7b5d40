#!/usr/bin/env node
/**
 * Cost of one execution id: `uuid`'s `v7()` (what `src/arguments/execution-id.ts` calls) against the
 * hand-written pooled UUID v7 it replaced (kept below, verbatim in behaviour, as the reference).
 * Run: `node bench/micro/uuid-v7.mjs [--ids=N] [--rounds=N]`. Prints ns per id, median (min–max)
 * over the rounds after a warm-up round, and checks each contender's ids are strictly increasing.
 */
import { randomFillSync } from 'node:crypto';
import { createRequire } from 'node:module';
import { loadavg } from 'node:os';
import { v7 } from 'uuid';
import { median } from '../lib/stats.mjs';

const arg = (/** @type {string} */ name, /** @type {number} */ fallback) =>
  Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback);
const IDS = arg('ids', 200_000);
const ROUNDS = arg('rounds', 5);

// The replaced implementation: random bytes drawn 4 KiB at a time, a 12-bit counter in rand_a.
const random = Buffer.alloc(10);
const pool = Buffer.alloc(4096);
let poolOffset = pool.length;
let lastMs = 0;
let counter = 0;
/** @param {number} start */
function refill(start) {
  const count = random.length - start;
  if (poolOffset + count > pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  pool.copy(random, start, poolOffset, poolOffset + count);
  poolOffset += count;
}
function pooledV7() {
  let ms = Date.now();
  if (ms > lastMs) {
    lastMs = ms;
    refill(0);
    counter = random.readUInt16BE(0) & 0x1ff;
  } else {
    ms = lastMs;
    counter++;
    if (counter > 0xfff) {
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

const uuidVersion = createRequire(import.meta.url)('uuid/package.json').version;
/** @type {Record<string, () => string>} */
const CONTENDERS = {
  'hand-written pooled v7 (replaced)': pooledV7,
  [`uuid@${uuidVersion} v7()`]: () => v7(),
};

/** @type {Record<string, number[]>} */
const nsPerId = {};
for (let round = 0; round <= ROUNDS; round++) {
  for (const [name, make] of Object.entries(CONTENDERS)) {
    let previous = make();
    let ordered = true;
    const t0 = performance.now();
    for (let i = 0; i < IDS; i++) {
      const id = make();
      if (id <= previous) ordered = false;
      previous = id;
    }
    const elapsed = performance.now() - t0;
    if (!ordered) throw new Error(`${name}: ids out of order`);
    if (round === 0) continue;
    nsPerId[name] ??= [];
    nsPerId[name].push((elapsed / IDS) * 1e6);
  }
}
console.log(
  `UUID v7, ${IDS.toLocaleString('en-US')} ids per round in a tight loop (each compared with the previous), ${ROUNDS} rounds after a warm-up; Node ${process.version}, load average ${loadavg()[0]?.toFixed(2)}\n`,
);
console.log('| implementation | ns per id, median (min–max) | strictly increasing |');
console.log('| --- | ---: | :---: |');
for (const [name, values] of Object.entries(nsPerId)) {
  console.log(
    `| ${name} | ${median(values).toFixed(0)} (${Math.min(...values).toFixed(0)}–${Math.max(...values).toFixed(0)}) | yes |`,
  );
}
