/**
 * Parent heap per running execution: N × `sleep 30` started and kept running, heap measured after
 * a full GC before and after, divided by N. Needs `--expose-gc` (run.mjs re-execs itself).
 */
import { spawn } from 'node:child_process';
import { CONTENDERS, loadExeca, waitForStarts, withEngine } from '../lib/contenders.mjs';
import { runRounds, settledHeapUsed } from '../lib/harness.mjs';
import { trackChild } from '../lib/resources.mjs';
import { absoluteTarget, findRow, rowsFor } from '../lib/results.mjs';

/** @typedef {import('./sequential.mjs').WorkloadOptions} WorkloadOptions */

/** @param {{ quick: boolean }} options */
const size = ({ quick }) => (quick ? 50 : 200);

/**
 * @param {number} before heap before starting
 * @param {number} count processes started
 * @returns {Promise<{ kbPerExecution: number }>}
 */
async function perExecution(before, count) {
  return { kbPerExecution: ((await settledHeapUsed()) - before) / count / 1024 };
}

/** @param {import('node:child_process').ChildProcess} child */
function spawned(child) {
  return new Promise((done, fail) => {
    child.once('spawn', done);
    child.once('error', fail);
  });
}

export default {
  id: 'heap-running',
  /** @param {WorkloadOptions} options */
  title: (options) => `Parent heap per running execution (${size(options)} × \`sleep 30\`)`,

  /**
   * @param {WorkloadOptions} options
   * @returns {Promise<import('../lib/results.mjs').WorkloadResult>}
   */
  async run(options) {
    const execa = await loadExeca();
    const count = size(options);
    const series = await runRounds({
      ...options,
      contenders: [
        {
          name: CONTENDERS.raw,
          measure: async () => {
            const before = await settledHeapUsed();
            const children = [];
            const spawns = [];
            for (let i = 0; i < count; i++) {
              const child = trackChild(spawn('sleep', ['30'], { stdio: ['ignore', 'pipe', 'pipe'] }));
              child.stdout.on('data', () => {});
              child.stderr.on('data', () => {});
              children.push(child);
              spawns.push(spawned(child));
            }
            await Promise.all(spawns);
            const figures = await perExecution(before, count);
            const start = performance.now();
            const closed = children.map((child) => new Promise((done) => child.once('close', done)));
            for (const child of children) child.kill('SIGTERM');
            await Promise.all(closed);
            return { ...figures, stopMs: performance.now() - start };
          },
        },
        {
          name: CONTENDERS.execa,
          measure: async () => {
            const before = await settledHeapUsed();
            const subprocesses = [];
            const spawns = [];
            for (let i = 0; i < count; i++) {
              const subprocess = trackChild(execa('sleep', ['30']));
              subprocesses.push(subprocess);
              spawns.push(spawned(subprocess));
            }
            await Promise.all(spawns);
            const figures = await perExecution(before, count);
            const start = performance.now();
            for (const subprocess of subprocesses) subprocess.kill('SIGTERM');
            await Promise.allSettled(subprocesses);
            return { ...figures, stopMs: performance.now() - start };
          },
        },
        {
          name: CONTENDERS.engine,
          measure: () =>
            withEngine(
              { maxConcurrentExecutions: count, maxInMemoryExecutions: count },
              async (engine, { exec }) => {
                const started = waitForStarts(engine, count);
                const before = await settledHeapUsed();
                const ids = [];
                for (let i = 0; i < count; i++)
                  ids.push(await engine.execute({ command: exec('sleep', ['30']) }));
                await started.promise;
                const figures = await perExecution(before, count);
                if (engine.stats().running !== count)
                  throw new Error(`engine: ${engine.stats().running} running`);
                const start = performance.now();
                await Promise.all(ids.map((id) => engine.cancel(id)));
                return { ...figures, stopMs: performance.now() - start };
              },
            ),
        },
      ],
    });
    const rows = [
      ...rowsFor(this.id, series, {
        key: 'kbPerExecution',
        metric: 'heap per running execution',
        unit: 'KB',
        better: 'lower',
        baseline: CONTENDERS.raw,
      }),
      ...rowsFor(this.id, series, {
        key: 'stopMs',
        metric: `stop all ${count} (SIGTERM, until closed / cancelled)`,
        unit: 'ms',
        better: 'lower',
        baseline: CONTENDERS.raw,
      }),
    ];
    return {
      id: this.id,
      title: this.title(options),
      rows,
      targets: [
        absoluteTarget(findRow(rows, CONTENDERS.engine, 'heap per running execution'), {
          label: 'heap per running execution',
          description: 'engine parent heap per running execution',
          op: '<=',
          limit: 16,
        }),
      ],
      notes: [
        '`heapUsed` after two forced full GCs, before and once every process is spawned (engine: every',
        '`started` event seen); difference / count. 1 KB = 1024 bytes. Then every process is stopped with',
        'SIGTERM (raw: `kill`, execa: `subprocess.kill`, engine: `cancel(id)` for all) and that time is shown too.',
      ],
    };
  },
};
