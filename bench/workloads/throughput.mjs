/**
 * N × `/bin/true` submitted at once under a concurrency limit (16 and 100): commands per second.
 * raw and execa: a plain semaphore around the spawn. engine: `maxConcurrentExecutions`, every
 * `execute()` first, then every `waitForCompletion()`.
 */
import { CONTENDERS, loadExeca, rawRun, runLimited, withEngine } from '../lib/contenders.mjs';
import { runRounds } from '../lib/harness.mjs';
import { findRow, ratioTarget, rowsFor } from '../lib/results.mjs';

/** @typedef {import('./sequential.mjs').WorkloadOptions} WorkloadOptions */

const CONCURRENCY = [16, 100];

/** @param {WorkloadOptions} options */
function size({ quick }) {
  return quick ? 160 : 2000;
}

/**
 * @param {number} total
 * @param {() => Promise<void>} body
 */
async function perSecond(total, body) {
  const start = performance.now();
  await body();
  return { perSecond: total / ((performance.now() - start) / 1000) };
}

export default {
  id: 'throughput',
  /** @param {WorkloadOptions} options */
  title: (options) => `${size(options).toLocaleString('en-US')} × \`/bin/true\`, all submitted at once`,

  /**
   * @param {WorkloadOptions} options
   * @returns {Promise<import('../lib/results.mjs').WorkloadResult>}
   */
  async run(options) {
    const count = size(options);
    const execa = await loadExeca();
    /** @type {import('../lib/results.mjs').Row[]} */
    const rows = [];
    /** @type {import('../lib/results.mjs').Target[]} */
    const targets = [];
    for (const limit of CONCURRENCY) {
      options.log(` concurrency ${limit}`);
      /** @param {{ warmup: boolean }} ctx */
      const n = (ctx) => (ctx.warmup ? Math.ceil(count / 5) : count);
      const series = await runRounds({
        ...options,
        contenders: [
          {
            name: CONTENDERS.raw,
            measure: (ctx) =>
              perSecond(n(ctx), () =>
                runLimited(n(ctx), limit, async () => {
                  const { code } = await rawRun('/bin/true');
                  if (code !== 0) throw new Error(`raw: /bin/true exited ${code}`);
                }),
              ),
          },
          {
            name: CONTENDERS.execa,
            measure: (ctx) => perSecond(n(ctx), () => runLimited(n(ctx), limit, () => execa('/bin/true'))),
          },
          {
            name: CONTENDERS.engine,
            measure: (ctx) =>
              withEngine(
                { maxConcurrentExecutions: limit, maxQueuedExecutions: count, maxInMemoryExecutions: count },
                (engine, { exec }) =>
                  perSecond(n(ctx), async () => {
                    const ids = [];
                    for (let i = 0; i < n(ctx); i++) ids.push(engine.execute({ command: exec('/bin/true') }));
                    const results = await Promise.all(
                      (await Promise.all(ids)).map((id) => engine.waitForCompletion(id)),
                    );
                    const bad = results.find((r) => !r.success);
                    if (bad)
                      throw new Error(`engine: /bin/true ended ${bad.status} ${bad.error?.code ?? ''}`);
                  }),
              ),
          },
        ],
      });
      const workload = `${this.id}-${limit}`;
      const figureRows = rowsFor(workload, series, {
        key: 'perSecond',
        metric: `throughput, concurrency ${limit}`,
        unit: 'cmd/s',
        better: 'higher',
        baseline: CONTENDERS.raw,
        chart: `throughput, concurrency ${limit}`,
      });
      rows.push(...figureRows);
      targets.push(
        ratioTarget(findRow(figureRows, CONTENDERS.engine), {
          description: `engine throughput vs raw, concurrency ${limit}`,
          op: '>=',
          limit: 0.95,
        }),
      );
    }
    return {
      id: this.id,
      title: this.title(options),
      rows,
      targets,
      notes: [
        'engine: every `execute()` issued in one loop, then every `waitForCompletion()` awaited.',
        'Every contender checks the exit status of each command inside the timed region.',
      ],
    };
  },
};
