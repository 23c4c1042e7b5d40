/**
 * `cat` of a large file, output collected without per-line events (`streamOutput: false`), against
 * the raw manual splitter; event-loop delay measured during every run.
 */
import { CONTENDERS, loadExeca, withEngine } from '../lib/contenders.mjs';
import { runRounds } from '../lib/harness.mjs';
import { lineCounter, linesFile, rawSplit, withLoopDelay } from '../lib/lines.mjs';
import { absoluteTarget, findRow, ratioTarget, rowsFor } from '../lib/results.mjs';

/** @typedef {import('./sequential.mjs').WorkloadOptions} WorkloadOptions */

export const OUTPUT_LIMIT = 256 * 1024 * 1024;

/** @param {{ quick: boolean }} options */
export function lineCount({ quick }) {
  return quick ? 100_000 : 1_000_000;
}

/** @param {{ quick: boolean }} options */
export function sizeLabel(options) {
  const lines = lineCount(options);
  return `${(lines / 10_000).toLocaleString('en-US')} MB / ${lines.toLocaleString('en-US')} lines`;
}

/**
 * Figures of one run: MB/s of the file, event-loop delay p99 and max.
 * @param {number} bytes
 * @param {{ ms: number, eldP99: number, eldMax: number }} run
 */
export function figures(bytes, run) {
  return { mbPerSecond: bytes / 1e6 / (run.ms / 1000), eldP99: run.eldP99, eldMax: run.eldMax };
}

export default {
  id: 'cat-collect',
  /** @param {WorkloadOptions} options */
  title: (options) => `\`cat\` ${sizeLabel(options)}, \`streamOutput: false\``,

  /**
   * @param {WorkloadOptions} options
   * @returns {Promise<import('../lib/results.mjs').WorkloadResult>}
   */
  async run(options) {
    const file = await linesFile(options.workDir, lineCount(options));
    const execa = await loadExeca();
    /** @type {string[]} */
    const problems = [];
    const series = await runRounds({
      ...options,
      contenders: [
        {
          name: CONTENDERS.raw,
          measure: async () => {
            const counter = lineCounter();
            const run = await withLoopDelay(() => rawSplit(file.path, counter.onLine));
            if (run.value !== 0 || counter.lines !== file.lines)
              throw new Error(`raw: ${counter.lines} lines`);
            return figures(file.bytes, run);
          },
        },
        {
          name: CONTENDERS.execa,
          measure: async () => {
            const run = await withLoopDelay(() =>
              execa('cat', [file.path], { lines: true, maxBuffer: OUTPUT_LIMIT }),
            );
            const lines = run.value.stdout.length;
            if (lines < file.lines) throw new Error(`execa: ${lines} lines of ${file.lines}`);
            return figures(file.bytes, run);
          },
        },
        {
          name: CONTENDERS.engine,
          measure: () =>
            withEngine(
              { streamOutput: false, maxOutputSizeBytes: OUTPUT_LIMIT },
              async (engine, { exec }) => {
                const run = await withLoopDelay(() => engine.run({ command: exec('cat', [file.path]) }));
                const { stdout, stdoutTruncated, id } = run.value;
                // `lines joined with '\n'`: the text minus, at most, its final line break.
                if (stdoutTruncated || stdout.length < file.bytes - 1 || stdout.length > file.bytes) {
                  problems.push(`engine collected ${stdout.length} characters of ${file.bytes}`);
                }
                engine.removeExecution(id);
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
        chart: 'cat, streamOutput: false',
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
    const valid = problems.length === 0;
    return {
      id: this.id,
      title: this.title(options),
      rows,
      targets: [
        ratioTarget(findRow(rows, CONTENDERS.engine, 'throughput'), {
          description: 'engine throughput (`streamOutput: false`) vs raw manual split',
          op: '>=',
          limit: 0.8,
          valid,
        }),
        absoluteTarget(findRow(rows, CONTENDERS.engine, 'event-loop delay p99'), {
          label: 'event-loop p99, streamOutput: false',
          description: 'event-loop delay p99 during the engine run (`streamOutput: false`)',
          op: '<=',
          limit: 10,
        }),
      ],
      notes: [
        `File: ${file.lines.toLocaleString('en-US')} lines of ${file.bytes / file.lines} bytes, generated into bench/.work/.`,
        'raw: `StringDecoder` + `indexOf("\\n")` over each chunk, every line counted; execa: `lines: true`.',
        `engine: \`maxOutputSizeBytes\` ${OUTPUT_LIMIT / 1024 / 1024} MiB; the collected stdout is checked.`,
        'Event-loop delay: `monitorEventLoopDelay({ resolution: 1 })`; its samples include the 1 ms tick.',
        ...[...new Set(problems)],
      ],
    };
  },
};
