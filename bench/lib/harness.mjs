/**
 * Round runner: every contender of a workload is measured once per round, in one process, and
 * the order rotates each round (A B C, B C A, C A B, …) so no contender always runs right after
 * the same neighbour. Warm-up rounds run first and are discarded. A full GC runs before every
 * measurement so one contender's garbage is not collected on the next one's clock.
 */

/**
 * @typedef {{ round: number, warmup: boolean }} RoundContext
 * @typedef {Record<string, number>} Figures named figures measured in one round
 * @typedef {{ name: string, measure: (ctx: RoundContext) => Promise<Figures> }} Contender
 * @typedef {Record<string, Record<string, number[]>>} Series contender → figure → one value per round
 */

/** Full garbage collection when the process runs with `--expose-gc`. */
export function fullGc() {
  const gc = /** @type {undefined | (() => void)} */ (globalThis.gc);
  if (gc) {
    gc();
    gc();
  }
}

/**
 * `heapUsed` after the event loop has turned a few times (closed child-process handles release
 * what they reference only in their libuv close callbacks) and a full GC.
 * @returns {Promise<number>} bytes
 */
export async function settledHeapUsed() {
  for (let i = 0; i < 3; i++) await new Promise((done) => setImmediate(done));
  await sleep(20);
  fullGc();
  return process.memoryUsage().heapUsed;
}

/**
 * @param {{ contenders: readonly Contender[], rounds: number, warmup: number,
 *           log?: (line: string) => void }} options
 * @returns {Promise<Series>}
 */
export async function runRounds({ contenders, rounds, warmup, log = () => {} }) {
  /** @type {Series} */
  const series = {};
  for (const c of contenders) series[c.name] = {};
  const total = warmup + rounds;
  for (let i = 0; i < total; i++) {
    const isWarmup = i < warmup;
    const round = isWarmup ? -1 : i - warmup;
    const order = contenders.map((_, k) => contenders[(k + i) % contenders.length]);
    /** @type {string[]} */
    const line = [];
    for (const contender of order) {
      fullGc();
      const figures = await contender.measure({ round, warmup: isWarmup });
      if (isWarmup) continue;
      for (const [key, value] of Object.entries(figures)) {
        const forContender = series[contender.name];
        forContender[key] ??= [];
        forContender[key].push(value);
      }
      const first = Object.entries(figures)[0];
      if (first) line.push(`${contender.name}=${first[1].toPrecision(4)}`);
    }
    log(
      isWarmup ? `  warm-up ${i + 1}/${warmup} done` : `  round ${round + 1}/${rounds}: ${line.join('  ')}`,
    );
  }
  return series;
}

/**
 * Times an async function with the monotonic clock.
 * @template T
 * @param {() => Promise<T>} fn
 * @returns {Promise<{ ms: number, value: T }>}
 */
export async function timed(fn) {
  const start = performance.now();
  const value = await fn();
  return { ms: performance.now() - start, value };
}

/**
 * Resolves after `ms`.
 * @param {number} ms
 * @returns {Promise<void>}
 */
export function sleep(ms) {
  return new Promise((done) => setTimeout(done, ms));
}
