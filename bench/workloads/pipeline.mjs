/**
 * A pipeline of N × `/bin/true` against the same N executions submitted directly (engine only):
 * a wide fan-out (one root, then N - 1 steps depending on it, concurrency 16) and a long chain
 * (each step depending on the previous one). The pipeline's cost is its bookkeeping: checking the
 * spec, starting each step when its dependencies end, its events and snapshots.
 */
import { withEngine } from '../lib/contenders.mjs';
import { runRounds } from '../lib/harness.mjs';
import { findRow, ratioTarget, rowsFor } from '../lib/results.mjs';

/** @typedef {import('./sequential.mjs').WorkloadOptions} WorkloadOptions */

const DIRECT = 'direct executions';
const PIPELINE = 'pipeline';
const CONCURRENCY = 16;

/** @param {WorkloadOptions} options */
function size({ quick }) {
  return quick ? 100 : 1000;
}

/** @param {() => Promise<void>} body */
async function timedMs(body) {
  const start = performance.now();
  await body();
  return { ms: performance.now() - start };
}

/** @param {{ success: boolean, status: string }[]} results */
function checkAll(results) {
  const bad = results.find((r) => !r.success);
  if (bad) throw new Error(`a /bin/true ended ${bad.status}`);
}

/**
 * The steps of one shape: `fanOut` (every step after the root depends on it) or `chain`.
 * @param {'fanOut' | 'chain'} shape @param {number} count @param {(file: string) => unknown} exec
 */
function stepsOf(shape, count, exec) {
  return Array.from({ length: count }, (_, i) => ({
    key: `s${i}`,
    request: { command: exec('/bin/true') },
    dependsOn: i === 0 ? [] : [shape === 'fanOut' ? 's0' : `s${i - 1}`],
  }));
}

/**
 * The same executions without a pipeline: the root, then the rest at once (fan-out), or one after
 * the other (chain).
 * @param {any} engine @param {'fanOut' | 'chain'} shape @param {number} count @param {any} exec
 */
async function direct(engine, shape, count, exec) {
  checkAll([await engine.run({ command: exec('/bin/true') })]);
  if (shape === 'chain') {
    for (let i = 1; i < count; i++) checkAll([await engine.run({ command: exec('/bin/true') })]);
    return;
  }
  const ids = await Promise.all(
    Array.from({ length: count - 1 }, () => engine.execute({ command: exec('/bin/true') })),
  );
  checkAll(await Promise.all(ids.map((id) => engine.waitForCompletion(id))));
}

export default {
  id: 'pipeline',
  /** @param {WorkloadOptions} options */
  title: (options) =>
    `${size(options).toLocaleString('en-US')}-step pipeline of \`/bin/true\` vs direct executions`,

  /**
   * @param {WorkloadOptions} options
   * @returns {Promise<import('../lib/results.mjs').WorkloadResult>}
   */
  async run(options) {
    const count = size(options);
    /** @type {import('../lib/results.mjs').Row[]} */
    const rows = [];
    /** @type {import('../lib/results.mjs').Target[]} */
    const targets = [];
    const config = {
      maxConcurrentExecutions: CONCURRENCY,
      maxQueuedExecutions: count,
      maxInMemoryExecutions: count,
    };
    for (const shape of /** @type {const} */ (['fanOut', 'chain'])) {
      options.log(` ${shape}`);
      /** @param {{ warmup: boolean }} ctx */
      const n = (ctx) => (ctx.warmup ? Math.ceil(count / 5) : count);
      const series = await runRounds({
        ...options,
        contenders: [
          {
            name: DIRECT,
            measure: (ctx) =>
              withEngine(config, (engine, { exec }) => timedMs(() => direct(engine, shape, n(ctx), exec))),
          },
          {
            name: PIPELINE,
            measure: (ctx) =>
              withEngine(config, (engine, { exec }) =>
                timedMs(async () => {
                  const result = await engine.runPipeline({ steps: stepsOf(shape, n(ctx), exec) });
                  if (result.summary.completed !== n(ctx))
                    throw new Error('pipeline: not every step completed');
                }),
              ),
          },
        ],
      });
      const label = shape === 'fanOut' ? 'fan-out (1 root, then the rest)' : 'chain';
      const figureRows = rowsFor(`${this.id}-${shape}`, series, {
        key: 'ms',
        metric: `total time, ${label}`,
        unit: 'ms',
        better: 'lower',
        baseline: DIRECT,
      });
      rows.push(...figureRows);
      targets.push(
        ratioTarget(findRow(figureRows, PIPELINE), {
          description: `${count.toLocaleString('en-US')}-step pipeline vs direct executions, ${label}`,
          op: '<=',
          limit: 1.2,
        }),
      );
    }
    return {
      id: this.id,
      title: this.title(options),
      rows,
      targets,
      notes: [
        `Fresh engine per round (maxConcurrentExecutions ${CONCURRENCY}); construction not timed.`,
        'direct, fan-out: `run()` the root, then every `execute()` at once and every `waitForCompletion()`;',
        'direct, chain: one `run()` after the other. pipeline: `runPipeline()` of the same steps.',
      ],
    };
  },
};
