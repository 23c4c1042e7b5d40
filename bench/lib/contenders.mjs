/**
 * The three contenders, reduced to the primitives the workloads need:
 * - raw: `node:child_process.spawn` with piped stdio, the lower bound;
 * - execa 9, used idiomatically;
 * - the engine, through its public API only (`dist/index.js`).
 */
import { spawn } from 'node:child_process';
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { closeEngine, trackChild, trackEngine } from './resources.mjs';

export const CONTENDERS = Object.freeze({ raw: 'raw child_process', execa: 'execa 9', engine: 'engine' });

/**
 * Spawns a program with piped stdio, collects its output, resolves on `close`.
 * @param {string} file
 * @param {readonly string[]} [args]
 * @returns {Promise<{ code: number | null, stdout: string }>}
 */
export function rawRun(file, args = []) {
  return new Promise((done, fail) => {
    const child = trackChild(spawn(file, args, { stdio: ['ignore', 'pipe', 'pipe'] }));
    /** @type {Buffer[]} */
    const out = [];
    child.stdout.on('data', (chunk) => out.push(chunk));
    child.stderr.on('data', () => {});
    child.once('error', fail);
    child.once('close', (code) => done({ code, stdout: Buffer.concat(out).toString() }));
  });
}

/**
 * Runs `task` `total` times with at most `limit` in flight (a plain semaphore).
 * @param {number} total
 * @param {number} limit
 * @param {() => Promise<unknown>} task
 * @returns {Promise<void>}
 */
export function runLimited(total, limit, task) {
  return new Promise((done, fail) => {
    let started = 0;
    let finished = 0;
    let failed = false;
    const next = () => {
      if (failed) return;
      if (finished === total) return done();
      while (started < total && started - finished < limit) {
        started++;
        task().then(
          () => {
            finished++;
            next();
          },
          (error) => {
            failed = true;
            fail(error);
          },
        );
      }
    };
    next();
  });
}

/** @type {Promise<typeof import('execa')> | undefined} */
let execaModule;

/** @returns {Promise<typeof import('execa').execa>} */
export async function loadExeca() {
  execaModule ??= import('execa');
  return (await execaModule).execa;
}

/**
 * Where the engine is loaded from: `dist/index.js`, or `BENCH_ENGINE_MODULE` (to try the harness
 * against a stand-in while the engine is being written).
 * @returns {string}
 */
export function engineModulePath() {
  const override = process.env.BENCH_ENGINE_MODULE;
  if (override) return isAbsolute(override) ? override : resolve(override);
  return new URL('../../dist/index.js', import.meta.url).pathname;
}

/** @type {Promise<any> | undefined} */
let engineModule;

/** @type {Promise<{ registerMetrics: any, Registry: any }> | undefined} */
let metricsModule;

/**
 * `registerMetrics` from `dist/metrics.js` (beside the engine module) and prom-client's `Registry`.
 * @returns {Promise<{ registerMetrics: any, Registry: any }>}
 */
export function loadMetrics() {
  metricsModule ??= Promise.all([
    import(pathToFileURL(engineModulePath().replace(/index\.js$/, 'metrics.js')).href),
    import('prom-client'),
  ]).then(([metrics, prom]) => ({ registerMetrics: metrics.registerMetrics, Registry: prom.Registry }));
  return metricsModule;
}

/**
 * The engine's public module (`ExecutionEngine`, `exec`, …).
 * @returns {Promise<any>}
 */
export function loadEngine() {
  engineModule ??= import(pathToFileURL(engineModulePath()).href);
  return engineModule;
}

/**
 * Creates an engine that the harness will shut down even on failure.
 * @param {Record<string, unknown>} [config]
 * @returns {Promise<any>}
 */
export async function newEngine(config = {}) {
  const { ExecutionEngine } = await loadEngine();
  return trackEngine(new ExecutionEngine({ enableAutoCleanup: false, ...config }));
}

/**
 * Runs `body` with a fresh engine and always shuts it down afterwards.
 * @template T
 * @param {Record<string, unknown>} config
 * @param {(engine: any, api: any) => Promise<T>} body
 * @returns {Promise<T>}
 */
export async function withEngine(config, body) {
  const api = await loadEngine();
  const engine = await newEngine(config);
  try {
    return await body(engine, api);
  } finally {
    await closeEngine(engine);
  }
}

/**
 * Resolves once `count` `started` events have been seen on `engine`.
 * @param {any} engine
 * @param {number} count
 * @returns {{ promise: Promise<void>, dispose: () => void }}
 */
export function waitForStarts(engine, count) {
  let seen = 0;
  /** @type {() => void} */
  let dispose = () => {};
  const promise = new Promise((done) => {
    const listener = () => {
      if (++seen >= count) {
        dispose();
        done(undefined);
      }
    };
    dispose = () => engine.off('started', listener);
    engine.on('started', listener);
  });
  return { promise: /** @type {Promise<void>} */ (promise), dispose };
}
