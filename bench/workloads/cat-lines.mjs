/**
 * `cat` of a large file with a per-line consumer: the engine's `stdout` listener and its batched
 * `output` listener against the raw manual splitter and execa 9's line iterator; event-loop delay
 * measured during every run. A second raw contender also keeps every chunk it read, as the engine
 * keeps the output for the result: the cost of holding 100 MB, which no listener can avoid.
 */
import { CONTENDERS, loadExeca, withEngine } from '../lib/contenders.mjs';
import { runRounds } from '../lib/harness.mjs';
import { lineCounter, linesFile, rawSplit, withLoopDelay } from '../lib/lines.mjs';

const BATCHED = 'engine, batched';
const BATCHED_BOUNDED = 'engine, batched, 1 MB kept';
/** What the bounded contender keeps of the output: the tail is forwarded, not held. */
const KEPT_BYTES = 1024 * 1024;
const RAW_KEEPING = 'raw, output kept';

import { absoluteTarget, findRow, ratioTarget, rowsFor, target } from '../lib/results.mjs';
import { medianRatio } from '../lib/stats.mjs';
import { figures, lineCount, OUTPUT_LIMIT, sizeLabel } from './cat-collect.mjs';

/** @typedef {import('./sequential.mjs').WorkloadOptions} WorkloadOptions */

export default {
  id: 'cat-lines',
  /** @param {WorkloadOptions} options */
  title: (options) => `\`cat\` ${sizeLabel(options)}, per-line listener`,

  /**
   * @param {WorkloadOptions} options
   * @returns {Promise<import('../lib/results.mjs').WorkloadResult>}
   */
  async run(options) {
    const file = await linesFile(options.workDir, lineCount(options));
    const execa = await loadExeca();
    /** @type {string[]} */
    const problems = [];
    /** @param {string} who @param {{ lines: number, chars: number }} counter */
    const check = (who, counter) => {
      if (counter.lines !== file.lines || counter.chars !== file.chars) {
        problems.push(
          `${who} saw ${counter.lines} lines / ${counter.chars} characters, expected ${file.lines} / ${file.chars}`,
        );
      }
    };
    const series = await runRounds({
      ...options,
      contenders: [
        {
          name: CONTENDERS.raw,
          measure: async () => {
            const counter = lineCounter();
            const run = await withLoopDelay(() => rawSplit(file.path, counter.onLine));
            if (run.value !== 0) throw new Error(`raw: cat exited ${run.value}`);
            check('raw', counter);
            return figures(file.bytes, run);
          },
        },
        {
          name: RAW_KEEPING,
          measure: async () => {
            const counter = lineCounter();
            const run = await withLoopDelay(() => rawSplit(file.path, counter.onLine, { keep: true }));
            if (run.value !== 0) throw new Error(`raw (kept): cat exited ${run.value}`);
            check('raw (kept)', counter);
            return figures(file.bytes, run);
          },
        },
        {
          name: CONTENDERS.execa,
          measure: async () => {
            const counter = lineCounter();
            const run = await withLoopDelay(async () => {
              for await (const line of execa('cat', [file.path], { buffer: false })) counter.onLine(line);
            });
            check('execa', counter);
            return figures(file.bytes, run);
          },
        },
        {
          name: CONTENDERS.engine,
          measure: () =>
            withEngine({ streamOutput: true, maxOutputSizeBytes: OUTPUT_LIMIT }, async (engine, { exec }) => {
              const counter = lineCounter();
              engine.on('stdout', (/** @type {{ line: string }} */ event) => counter.onLine(event.line));
              const run = await withLoopDelay(() => engine.run({ command: exec('cat', [file.path]) }));
              check('engine', counter);
              engine.removeExecution(run.value.id);
              return figures(file.bytes, run);
            }),
        },
        {
          name: BATCHED,
          measure: () =>
            withEngine({ streamOutput: true, maxOutputSizeBytes: OUTPUT_LIMIT }, async (engine, { exec }) => {
              const counter = lineCounter();
              engine.on('output', (/** @type {{ lines: string[] }} */ event) => {
                for (const line of event.lines) counter.onLine(line);
              });
              const run = await withLoopDelay(() => engine.run({ command: exec('cat', [file.path]) }));
              check('engine (batched)', counter);
              engine.removeExecution(run.value.id);
              return figures(file.bytes, run);
            }),
        },
        {
          name: BATCHED_BOUNDED,
          measure: () =>
            withEngine(
              {
                streamOutput: true,
                maxOutputSizeBytes: KEPT_BYTES,
                oversizedOutputStrategy: 'truncateWithWarning',
              },
              async (engine, { exec }) => {
                const counter = lineCounter();
                engine.on('output', (/** @type {{ lines: string[] }} */ event) => {
                  for (const line of event.lines) counter.onLine(line);
                });
                const run = await withLoopDelay(() => engine.run({ command: exec('cat', [file.path]) }));
                check('engine (batched, bounded)', counter);
                engine.removeExecution(run.value.id);
                return figures(file.bytes, run);
              },
            ),
        },
      ],
    });
    const rows = [
      ...rowsFor(this.id, series, {
        key: 'mbPerSecond',
        metric: 'throughput',
        unit: 'MB/s',
        better: 'higher',
        baseline: CONTENDERS.raw,
        chart: 'cat, per-line listener',
      }),
      ...rowsFor(this.id, series, {
        key: 'eldP99',
        metric: 'event-loop delay p99',
        unit: 'ms',
        better: 'lower',
      }),
      ...rowsFor(this.id, series, {
        key: 'eldMax',
        metric: 'event-loop delay max',
        unit: 'ms',
        better: 'lower',
      }),
    ];
    const valid = !problems.some((p) => p.startsWith('engine'));
    const engineMbs = series[CONTENDERS.engine]?.mbPerSecond ?? [];
    const execaMbs = series[CONTENDERS.execa]?.mbPerSecond ?? [];
    return {
      id: this.id,
      title: this.title(options),
      rows,
      targets: [
        ratioTarget(findRow(rows, CONTENDERS.engine, 'throughput'), {
          description: 'engine throughput with a per-line listener vs raw manual split',
          op: '>=',
          limit: 0.6,
          valid,
        }),
        ratioTarget(findRow(rows, BATCHED, 'throughput'), {
          description: 'engine throughput with a batched `output` listener vs raw manual split',
          op: '>=',
          limit: 0.9,
          valid,
        }),
        target({
          workload: this.id,
          label: 'cat, batched listener · engine vs raw keeping the output',
          description:
            'engine throughput with a batched listener vs the raw splitter that also keeps the output',
          contender: BATCHED,
          basis: 'ratio',
          measured: medianRatio(series[BATCHED]?.mbPerSecond ?? [], series[RAW_KEEPING]?.mbPerSecond ?? []),
          unit: '× raw, output kept',
          op: '>=',
          limit: 0.9,
          valid,
        }),
        ratioTarget(findRow(rows, BATCHED_BOUNDED, 'throughput'), {
          description:
            'engine throughput with a batched listener keeping 1 MB (the rest forwarded only) vs raw manual split',
          op: '>=',
          limit: 0.9,
          valid,
        }),
        target({
          workload: this.id,
          label: 'cat, per-line listener · engine vs execa',
          description: "engine throughput with a per-line listener vs execa's line iterator",
          contender: CONTENDERS.engine,
          basis: 'ratio',
          measured: medianRatio(engineMbs, execaMbs),
          unit: '× execa',
          op: '>=',
          limit: 5,
          valid,
        }),
        absoluteTarget(findRow(rows, CONTENDERS.engine, 'event-loop delay p99'), {
          label: 'event-loop p99, per-line listener',
          description: 'event-loop delay p99 during the engine run (per-line listener)',
          op: '<=',
          limit: 5,
        }),
        absoluteTarget(findRow(rows, BATCHED, 'event-loop delay p99'), {
          label: 'event-loop p99, batched listener',
          description: 'event-loop delay p99 during the engine run (batched listener)',
          op: '<=',
          limit: 5,
        }),
      ],
      notes: [
        'raw: same manual splitter as above, each line handed to a counter (lines and characters).',
        'execa: `for await (const line of execa("cat", [file], { buffer: false }))`.',
        "engine: `engine.on('stdout', …)` feeding the same counter, then `await engine.run(…)`.",
        "engine, batched: `engine.on('output', (e) => e.lines.forEach(…))`, same counter.",
        "engine, batched, 1 MB kept: the same with `maxOutputSizeBytes: 1 MB, oversizedOutputStrategy: 'truncateWithWarning'`: every line is still delivered, only the first megabyte is kept for the result (a UI that shows the output as it comes).",
        'raw, output kept: the raw splitter also keeping every chunk it read, as the engine keeps the output for `result.stdout` (here all of it: `maxOutputSizeBytes` 256 MB). Holding the chunks alone costs raw about a third of its speed (more garbage-collector work, slower forks of a larger process): the ceiling for anything that keeps the output.',
        ...[...new Set(problems)],
      ],
    };
  },
};
