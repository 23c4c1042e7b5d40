#!/usr/bin/env node
/**
 * The built-in `Scheduler` against p-queue 9 on the admission contract (src/scheduler/admission.ts):
 * what decided to keep our own scheduler. Run: `node --expose-gc --import tsx bench/admission/compare.mjs`
 * (`--rounds=N`, default 5). Prints a markdown table; writes nothing.
 *
 * Contenders: `own` (src/scheduler/scheduler.ts), `p-queue` (bench/admission/p-queue-admission.mjs:
 * p-queue with an O(1) queue class, fixed-window pacing), `p-queue strict` (same, sliding-window
 * pacing) and, for removal only, `p-queue default queue` (p-queue's own queue, a queued task
 * removed the only way p-queue offers: aborting its `AbortSignal`).
 */
import { spawn } from 'node:child_process';
import PQueue from 'p-queue';
import { Scheduler } from '../../src/scheduler/scheduler.ts';
import { median, quantile } from '../lib/stats.mjs';
import { PQueueAdmission } from './p-queue-admission.mjs';

const rounds = Number(process.argv.find((a) => a.startsWith('--rounds='))?.slice('--rounds='.length) ?? 5);
const QUEUED = 10_000;
const INTERVAL_MS = 50;
const STARTS = 20;

/** @typedef {import('../../src/scheduler/admission.ts').Admission} Admission */
/** @typedef {import('../../src/scheduler/admission.ts').AdmissionLimits} Limits */

/** @type {Record<string, (limits: Limits) => Admission>} */
const CONTENDERS = {
  own: (limits) => new Scheduler(limits),
  'p-queue': (limits) => new PQueueAdmission(limits),
  'p-queue strict': (limits) => new PQueueAdmission(limits, { strict: true }),
};

/** @param {Partial<Limits>} limits @returns {Limits} */
const limitsOf = (limits) => ({
  maxConcurrentExecutions: 1,
  onConcurrencyLimit: 'queue',
  maxQueuedExecutions: QUEUED,
  minStartIntervalMs: 0,
  ...limits,
});

const busy = (/** @type {number} */ ms) => {
  const end = performance.now() + ms;
  while (performance.now() < end);
};
const microtasks = () => new Promise((resolve) => setImmediate(resolve));
const gc = () => /** @type {() => void} */ (globalThis.gc)?.();

/** `submit()` latency while the queue fills to QUEUED behind one held slot. */
function submitLatency(make) {
  const admission = make(limitsOf({}));
  admission.submit('running', () => {});
  const latencies = new Float64Array(QUEUED);
  for (let i = 0; i < QUEUED; i++) {
    const t0 = performance.now();
    admission.submit(`q${i}`, () => {});
    latencies[i] = performance.now() - t0;
  }
  if (admission.queued !== QUEUED) throw new Error(`expected ${QUEUED} queued, got ${admission.queued}`);
  admission.drain();
  const all = Array.from(latencies);
  return { median: median(all) * 1000, p99: quantile(all, 0.99) * 1000 };
}

/** Removes all QUEUED waiting entries in a shuffled order; µs per removal. */
function removal(make) {
  const admission = make(limitsOf({}));
  admission.submit('running', () => {});
  const ids = Array.from({ length: QUEUED }, (_, i) => `q${i}`);
  for (const id of ids) admission.submit(id, () => {});
  shuffle(ids);
  const t0 = performance.now();
  for (const id of ids) admission.remove(id);
  const elapsed = performance.now() - t0;
  if (admission.queued !== 0) throw new Error(`expected an empty queue, got ${admission.queued}`);
  return (elapsed / QUEUED) * 1000;
}

/** p-queue's own queue: a queued task can only be removed by aborting its signal. */
function removalDefaultQueue() {
  const queue = new PQueue({ concurrency: 1 });
  queue.add(() => new Promise(() => {})).catch(() => {});
  const controllers = Array.from({ length: QUEUED }, () => new AbortController());
  for (const controller of controllers) queue.add(() => {}, { signal: controller.signal }).catch(() => {});
  shuffle(controllers);
  const t0 = performance.now();
  for (const controller of controllers) controller.abort();
  const elapsed = performance.now() - t0;
  if (queue.size !== 0) throw new Error(`expected an empty queue, got ${queue.size}`);
  return (elapsed / QUEUED) * 1000;
}

/** Does `release()` start the next execution before it returns, and is `running` right after it? */
async function releaseBehaviour(make) {
  const admission = make(limitsOf({}));
  admission.submit('a', () => {});
  let started = false;
  admission.submit('b', () => {
    started = true;
  });
  admission.release('a');
  const sync = started;
  await microtasks();
  return { sync, startedLater: started };
}

/** Occupy past the limit: running count, and whether a waiting execution was started by it. */
async function occupyBehaviour(make) {
  const admission = make(limitsOf({}));
  admission.submit('a', () => {});
  let started = false;
  admission.submit('b', () => {
    started = true;
  });
  admission.occupy('adopted');
  const running = admission.running;
  await microtasks();
  return { running, startedWaiting: started };
}

/**
 * STARTS starts paced at INTERVAL_MS, four slots; each start is a busy loop alternating 5 ms and
 * 0 ms (`busy`) or a real `spawn('/bin/true')` (`spawn`). Gap: from the end of one start to the
 * beginning of the next, the interval `minStartIntervalMs` promises.
 */
async function pacing(make, kind) {
  const admission = make(limitsOf({ maxConcurrentExecutions: 4, minStartIntervalMs: INTERVAL_MS }));
  /** @type {number[]} */
  const begins = [];
  /** @type {number[]} */
  const ends = [];
  await new Promise((done) => {
    for (let i = 0; i < STARTS; i++) {
      admission.submit(`p${i}`, () => {
        begins.push(performance.now());
        if (kind === 'spawn') {
          spawn('/bin/true', [], { stdio: 'ignore', detached: true }).on('error', () => {});
        } else {
          busy(i % 2 === 0 ? 5 : 0);
        }
        ends.push(performance.now());
        setTimeout(() => admission.release(`p${i}`), 2);
        if (ends.length === STARTS) done(undefined);
      });
    }
  });
  const gaps = begins.slice(1).map((begin, i) => begin - /** @type {number} */ (ends[i]));
  return { min: Math.min(...gaps), short: gaps.filter((gap) => gap < INTERVAL_MS).length };
}

/** Heap per waiting execution, QUEUED waiting. */
function heapPerQueued(make) {
  gc();
  gc();
  const before = process.memoryUsage().heapUsed;
  const admission = make(limitsOf({}));
  admission.submit('running', () => {});
  for (let i = 0; i < QUEUED; i++) admission.submit(`queued-execution-${i}`, () => {});
  gc();
  gc();
  const bytes = (process.memoryUsage().heapUsed - before) / QUEUED;
  admission.drain();
  return bytes;
}

/** @template T @param {T[]} items */
function shuffle(items) {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [items[i], items[j]] = [/** @type {T} */ (items[j]), /** @type {T} */ (items[i])];
  }
}

/** @param {number[]} values @param {number} digits */
const range = (values, digits) =>
  `${median(values).toFixed(digits)} (${Math.min(...values).toFixed(digits)}–${Math.max(...values).toFixed(digits)})`;

async function main() {
  if (typeof globalThis.gc !== 'function') console.error('note: run with --expose-gc for the heap figure');
  /** @type {Record<string, Record<string, number[]>>} */
  const figures = {};
  const add = (/** @type {string} */ name, /** @type {string} */ key, /** @type {number} */ value) => {
    figures[name] ??= {};
    figures[name][key] ??= [];
    figures[name][key].push(value);
  };
  /** @type {Record<string, unknown>} */
  const behaviour = {};
  for (let round = 0; round <= rounds; round++) {
    const warmUp = round === 0;
    for (const [name, make] of Object.entries(CONTENDERS)) {
      const latency = submitLatency(make);
      const removeUs = removal(make);
      const heap = heapPerQueued(make);
      const paced = await pacing(make, 'busy');
      const spawned = await pacing(make, 'spawn');
      if (warmUp) continue;
      add(name, 'submit median µs', latency.median);
      add(name, 'submit p99 µs', latency.p99);
      add(name, 'remove µs', removeUs);
      add(name, 'heap B/queued', heap);
      add(name, 'pacing busy min gap ms', paced.min);
      add(name, 'pacing busy gaps < interval', paced.short);
      add(name, 'pacing spawn min gap ms', spawned.min);
      add(name, 'pacing spawn gaps < interval', spawned.short);
    }
    const defaultRemove = removalDefaultQueue();
    if (!warmUp) add('p-queue default queue', 'remove µs', defaultRemove);
    console.error(`round ${round}/${rounds}${warmUp ? ' (warm-up)' : ''} done`);
  }
  for (const [name, make] of Object.entries(CONTENDERS)) {
    behaviour[name] = { release: await releaseBehaviour(make), occupy: await occupyBehaviour(make) };
  }

  const columns = [
    ['submit median µs', 2],
    ['submit p99 µs', 2],
    ['remove µs', 2],
    ['heap B/queued', 0],
    ['pacing busy min gap ms', 1],
    ['pacing busy gaps < interval', 0],
    ['pacing spawn min gap ms', 1],
    ['pacing spawn gaps < interval', 0],
  ];
  const [load1] = (await import('node:os')).loadavg();
  console.log(
    `Admission contenders, ${rounds} rounds after a warm-up, median (min–max); ${QUEUED.toLocaleString('en-US')} queued; pacing ${STARTS} starts at ${INTERVAL_MS} ms, gaps from the end of a start to the beginning of the next (${STARTS - 1} gaps per round); load average ${load1?.toFixed(2)}, Node ${process.version}\n`,
  );
  console.log(`| contender | ${columns.map(([key]) => key).join(' | ')} |`);
  console.log(`| --- | ${columns.map(() => '---:').join(' | ')} |`);
  for (const [name, byKey] of Object.entries(figures)) {
    const cells = columns.map(([key, digits]) =>
      byKey[key] ? range(byKey[key], /** @type {number} */ (digits)) : '—',
    );
    console.log(`| ${name} | ${cells.join(' | ')} |`);
  }
  console.log('\nrelease() and occupy() (limit 1, one running, one waiting):\n');
  console.log(
    '| contender | `release()` starts the next before it returns | next started one event-loop turn later | `occupy()` past the limit: running | `occupy()` started a waiting one |',
  );
  console.log('| --- | :---: | :---: | ---: | :---: |');
  for (const [name, value] of Object.entries(behaviour)) {
    const { release, occupy } = /** @type {any} */ (value);
    const yes = (/** @type {boolean} */ flag) => (flag ? 'yes' : 'no');
    console.log(
      `| ${name} | ${yes(release.sync)} | ${yes(release.startedLater)} | ${occupy.running} | ${yes(occupy.startedWaiting)} |`,
    );
  }
  process.exit(0); // p-queue's cleared tasks leave promises that never settle; nothing else is pending
}

await main();
