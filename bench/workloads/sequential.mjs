/**
 * N × `/bin/true`, one after the other: per-command overhead of `run()` against a raw spawn.
 */
import { CONTENDERS, loadExeca, loadMetrics, rawRun, withEngine } from '../lib/contenders.mjs';
import { runRounds } from '../lib/harness.mjs';
import { ratioTarget, rowsFor } from '../lib/results.mjs';
import { ratios, summarize } from '../lib/stats.mjs';

/** The engine with `execution-engine/metrics` registered in a prom-client registry. */
const WITH_METRICS = 'engine + metrics';

/**
 * @typedef {{ quick: boolean, rounds: number, warmup: number, workDir: string,
 *   log: (line: string) => void }} WorkloadOptions
 */

/** @param {WorkloadOptions} options */
function size({ quick }) {
  return quick ? 60 : 500;
}

export default {
  id: 'sequential',
  /** @param {WorkloadOptions} options */
  title: (options) => `${size(options)} × \`/bin/true\` sequential`,

  /**
   * @param {WorkloadOptions} options
   * @returns {Promise<import('../lib/results.mjs').WorkloadResult>}
   */
  async run(options) {
    const count = size(options);
    const execa = await loadExeca();
    const { registerMetrics, Registry } = await loadMetrics();
    /** @param {{ warmup: boolean }} ctx */
    const n = (ctx) => (ctx.warmup ? Math.ceil(count / 5) : count);

    /** @param {number} iterations @param {(i: number) => Promise<unknown>} one */
    const perCommand = async (iterations, one) => {
      const start = performance.now();
      for (let i = 0; i < iterations; i++) await one(i);
      return { msPerCommand: (performance.now() - start) / iterations };
    };

    const series = await runRounds({
      ...options,
      contenders: [
        {
          name: CONTENDERS.raw,
          measure: (ctx) =>
            perCommand(n(ctx), async () => {
              const { code } = await rawRun('/bin/true');
              if (code !== 0) throw new Error(`raw: /bin/true exited ${code}`);
            }),
        },
        {
          name: CONTENDERS.execa,
          measure: (ctx) => perCommand(n(ctx), () => execa('/bin/true')),
        },
        {
          name: CONTENDERS.engine,
          measure: (ctx) =>
            withEngine({ maxInMemoryExecutions: count }, (engine, { exec }) =>
              perCommand(n(ctx), () => engine.run({ command: exec('/bin/true') })),
            ),
        },
        {
          name: WITH_METRICS,
          measure: (ctx) =>
            withEngine({ maxInMemoryExecutions: count }, async (engine, { exec }) => {
              const stop = registerMetrics(engine, { registry: new Registry() });
              try {
                return await perCommand(n(ctx), () => engine.run({ command: exec('/bin/true') }));
              } finally {
                stop();
              }
            }),
        },
      ],
    });

    const rows = rowsFor(this.id, series, {
      key: 'msPerCommand',
      metric: 'time per command',
      unit: 'ms',
      better: 'lower',
      baseline: CONTENDERS.raw,
      chart: 'sequential run()',
    });
    const engineRow = rows.find((r) => r.contender === CONTENDERS.engine);
    const metricsRow = rows.find((r) => r.contender === WITH_METRICS);
    // Per round, the engine with metrics against the engine alone (the rounds interleave them).
    const metricsCost = metricsRow &&
      engineRow && {
        ...metricsRow,
        ratio: {
          values: ratios(metricsRow.values, engineRow.values),
          ...summarize(ratios(metricsRow.values, engineRow.values)),
        },
      };
    return {
      id: this.id,
      title: this.title(options),
      rows,
      targets: [
        ratioTarget(engineRow, {
          description: 'engine `run()` time per command vs raw',
          op: '<=',
          limit: 1.05,
        }),
        ratioTarget(metricsCost, {
          description: '`run()` with `execution-engine/metrics` registered vs without',
          op: '<=',
          limit: 1.03,
        }),
      ],
      notes: [
        'raw: `spawn` with stdio `[ignore, pipe, pipe]`, stdout collected, awaited on `close`.',
        'engine: `await engine.run({ command: exec("/bin/true") })`, fresh engine per round (construction not timed).',
        'engine + metrics: the same with `registerMetrics(engine, { registry: new Registry() })` (prom-client 15); its ratio target is against the engine alone, round by round.',
      ],
    };
  },
};
