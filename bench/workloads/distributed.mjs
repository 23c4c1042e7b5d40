/**
 * `execution-engine/bullmq` against a redis-server of its own: throughput of `sleep 0.2` with 1, 2
 * and 4 worker processes (concurrency 16 each), and the latency `run()` of `/bin/true` adds over
 * the local engine (one worker; sequential runs).
 */
import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { engineModulePath } from '../lib/contenders.mjs';
import { runRounds } from '../lib/harness.mjs';
import { trackChild, trackPath } from '../lib/resources.mjs';
import { absoluteTarget, findRow, ratioTarget, rowsFor } from '../lib/results.mjs';
import { median } from '../lib/stats.mjs';

/** @typedef {import('./sequential.mjs').WorkloadOptions} WorkloadOptions */

const CONCURRENCY = 16;
const WORKERS = [1, 2, 4];
const name = (/** @type {number} */ n) => `${n} worker${n === 1 ? '' : 's'}`;

/** @param {WorkloadOptions} options */
function sizes({ quick }) {
  return { sleeps: quick ? 128 : 512, trues: quick ? 40 : 200 };
}

/** @returns {Promise<number>} */
async function freePort() {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  await new Promise((done) => server.close(done));
  return typeof address === 'object' && address ? address.port : 0;
}

/** Starts redis-server (no persistence) in a temp dir under `workDir`; resolves with its port. */
async function startRedis(/** @type {string} */ workDir) {
  const dir = trackPath(await mkdtemp(join(workDir, 'redis-')));
  const port = await freePort();
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--appendonly',
    'no',
    '--dir',
    dir,
  ];
  const child = trackChild(spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'inherit'] }));
  await new Promise((done, fail) => {
    child.once('error', fail);
    child.once('exit', (code) => fail(new Error(`redis-server exited (${code})`)));
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (line.includes('Ready to accept connections')) done(undefined);
    });
  });
  return { port, child };
}

/** Starts `n` worker processes; resolves with a function that stops them. */
async function startWorkers(/** @type {number} */ n, /** @type {object} */ options) {
  const module = engineModulePath().replace(/index\.js$/, 'bullmq.js');
  const script = new URL('../lib/distributed-worker.mjs', import.meta.url).pathname;
  const children = await Promise.all(
    Array.from({ length: n }, async () => {
      const child = trackChild(
        spawn(process.execPath, [script, module, JSON.stringify(options)], {
          stdio: ['ignore', 'pipe', 'inherit'],
        }),
      );
      await new Promise((done, fail) => {
        child.once('exit', (code) => fail(new Error(`worker exited (${code})`)));
        createInterface({ input: child.stdout }).once('line', done);
      });
      return child;
    }),
  );
  return async () => {
    await Promise.all(
      children.map((child) => {
        const exited = child.exitCode !== null ? Promise.resolve() : once(child, 'exit');
        child.kill('SIGTERM');
        return exited;
      }),
    );
  };
}

/**
 * The median of `count` sequential local `run()`s of `/bin/true`, in a fresh process (see
 * bench/lib/local-latency.mjs).
 * @param {number} count
 */
async function localMedianMs(count) {
  const script = fileURLToPath(new URL('../lib/local-latency.mjs', import.meta.url));
  const { stdout } = await promisify(execFile)(process.execPath, [script, engineModulePath(), String(count)]);
  return Number(stdout.trim());
}

export default {
  id: 'distributed',
  /** @param {WorkloadOptions} options */
  title: (options) =>
    `distributed (BullMQ + Redis): ${sizes(options).sleeps} × \`sleep 0.2\` on 1, 2, 4 workers; \`/bin/true\` latency`,

  /**
   * @param {WorkloadOptions} options
   * @returns {Promise<import('../lib/results.mjs').WorkloadResult>}
   */
  async run(options) {
    const { sleeps, trues } = sizes(options);
    const redis = await startRedis(options.workDir);
    const connection = { host: '127.0.0.1', port: redis.port };
    const { DistributedEngine } = await import(
      pathToFileURL(engineModulePath().replace(/index\.js$/, 'bullmq.js')).href
    );
    const { exec } = await import(pathToFileURL(engineModulePath()).href);
    const engine = new DistributedEngine({ connection });
    try {
      const rounds = options.quick ? Math.min(options.rounds, 2) : options.rounds;
      const throughput = await runRounds({
        ...options,
        rounds,
        contenders: WORKERS.map((n) => ({
          name: name(n),
          measure: async (/** @type {{ warmup: boolean }} */ ctx) => {
            const stop = await startWorkers(n, { connection, concurrency: CONCURRENCY });
            try {
              const count = ctx.warmup ? CONCURRENCY * n : sleeps;
              const start = performance.now();
              const ids = await Promise.all(
                Array.from({ length: count }, () => engine.execute({ command: exec('sleep', ['0.2']) })),
              );
              const results = await Promise.all(
                ids.map((/** @type {string} */ id) => engine.waitForCompletion(id)),
              );
              if (results.some((/** @type {{ success: boolean }} */ r) => !r.success))
                throw new Error('a sleep failed');
              return { perSecond: count / ((performance.now() - start) / 1000) };
            } finally {
              await stop();
            }
          },
        })),
      });
      const scaling = rowsFor(`${this.id}-throughput`, throughput, {
        key: 'perSecond',
        metric: 'executions per second',
        unit: '/s',
        better: 'higher',
        baseline: name(1),
      });
      const stop = await startWorkers(1, { connection, concurrency: CONCURRENCY });
      /** @param {(i: number) => Promise<unknown>} one */
      const medianMs = async (one) => {
        /** @type {number[]} */
        const times = [];
        for (let i = 0; i < trues; i++) {
          const start = performance.now();
          await one(i);
          times.push(performance.now() - start);
        }
        return median(times);
      };
      let latency;
      try {
        latency = await runRounds({
          ...options,
          contenders: [
            {
              name: 'distributed',
              measure: async () => {
                const local = await localMedianMs(trues);
                const remote = await medianMs(() => engine.run({ command: exec('/bin/true') }));
                return { addedMs: remote - local, remoteMs: remote, localMs: local };
              },
            },
          ],
        });
      } finally {
        await stop();
      }
      const latencyRows = [
        ...rowsFor(`${this.id}-latency`, latency, {
          key: 'addedMs',
          metric: 'added latency, median',
          unit: 'ms',
          better: 'lower',
        }),
        ...rowsFor(`${this.id}-latency`, latency, {
          key: 'remoteMs',
          metric: 'run() of /bin/true, median',
          unit: 'ms',
          better: 'lower',
        }),
        ...rowsFor(`${this.id}-latency`, latency, {
          key: 'localMs',
          metric: 'local run(), median',
          unit: 'ms',
          better: 'lower',
        }),
      ];
      return {
        id: this.id,
        title: this.title(options),
        rows: [...scaling, ...latencyRows],
        targets: [
          ratioTarget(findRow(scaling, name(4)), {
            description: `throughput of 4 workers vs 1 (sleep 0.2, concurrency ${CONCURRENCY} each)`,
            op: '>=',
            limit: 2,
          }),
          absoluteTarget(findRow(latencyRows, 'distributed', 'added latency, median'), {
            description: 'latency run() of /bin/true adds over the local engine',
            label: 'added latency, median',
            op: '<=',
            limit: 5,
          }),
        ],
        notes: [
          'A redis-server of its own; worker processes load the built `execution-engine/bullmq` and are started',
          'per round (not timed). Throughput: every `execute()` at once, then every `waitForCompletion()`.',
          `Latency: ${trues} sequential \`run()\`s of \`/bin/true\`, distributed (one worker) minus local (the local engine in a fresh process, as the worker is), medians.`,
        ],
      };
    } finally {
      await engine.shutdown();
      redis.child.kill('SIGTERM');
      await once(redis.child, 'exit');
    }
  },
};
