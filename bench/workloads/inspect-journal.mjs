/**
 * `inspectJournal` on a journal directory of many finished records (1 in 100 still running): the
 * time another process takes to read an engine's status files.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CONTENDERS, loadEngine } from '../lib/contenders.mjs';
import { runRounds } from '../lib/harness.mjs';
import { trackPath } from '../lib/resources.mjs';
import { absoluteTarget, findRow, rowsFor } from '../lib/results.mjs';

/** @typedef {import('./sequential.mjs').WorkloadOptions} WorkloadOptions */

const FULL = 100_000;

/** @param {{ quick: boolean }} options */
function size({ quick }) {
  return quick ? 10_000 : FULL;
}

/** One journal record as the engine writes it (version 2). @param {string} id @param {string} status */
function record(id, status) {
  return `${JSON.stringify({
    version: 2,
    id,
    status,
    command: { file: '/bin/sh', args: ['-c', `echo ${id}`] },
    request: { command: { type: 'shell', command: `echo ${id}` } },
    createdAt: '2026-01-01T00:00:00.000Z',
    startedAt: '2026-01-01T00:00:01.000Z',
    completedAt: '2026-01-01T00:00:02.000Z',
    pid: process.pid,
    exitCode: 0,
    signal: null,
    attempts: [{ number: 1, pid: process.pid, status: 'completed', exitCode: 0, signal: null }],
  })}\n`;
}

export default {
  id: 'inspect-journal',
  /** @param {WorkloadOptions} options */
  title: (options) => `\`inspectJournal\` of ${size(options).toLocaleString('en-US')} records`,

  /**
   * @param {WorkloadOptions} options
   * @returns {Promise<import('../lib/results.mjs').WorkloadResult>}
   */
  async run(options) {
    const count = size(options);
    const dir = join(options.workDir, 'inspect-journal');
    trackPath(dir);
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true, mode: 0o700 });
    for (let first = 0; first < count; first += 1000) {
      const writes = [];
      for (let i = first; i < Math.min(count, first + 1000); i++) {
        const id = `job-${i}`;
        writes.push(writeFile(join(dir, `${id}.json`), record(id, i % 100 === 0 ? 'running' : 'completed')));
      }
      await Promise.all(writes);
    }
    const { inspectJournal } = await loadEngine();
    /** @type {string[]} */
    const problems = [];
    const series = await runRounds({
      ...options,
      contenders: [
        {
          name: CONTENDERS.engine,
          measure: async () => {
            const start = performance.now();
            const view = await inspectJournal(dir);
            const ms = performance.now() - start;
            if (view.executions.length !== count) {
              problems.push(`inspectJournal read ${view.executions.length} of ${count} records`);
            }
            return { ms };
          },
        },
      ],
    });
    await rm(dir, { recursive: true, force: true });
    const rows = rowsFor(this.id, series, {
      key: 'ms',
      metric: 'inspectJournal time',
      unit: 'ms',
      better: 'lower',
    });
    return {
      id: this.id,
      title: this.title(options),
      rows,
      targets: [
        absoluteTarget(findRow(rows, CONTENDERS.engine, 'inspectJournal time'), {
          label: `inspectJournal of ${count.toLocaleString('en-US')} records`,
          description:
            count === FULL
              ? '`inspectJournal` of 100,000 records'
              : `\`inspectJournal\` of ${count.toLocaleString('en-US')} records (quick run; 2 s per 100,000)`,
          op: '<=',
          limit: (2000 * count) / FULL,
        }),
      ],
      notes: [
        'Records written once before the rounds (1 in 100 `running`, the rest `completed`); the directory is read cold only in the first round.',
        ...problems,
      ],
    };
  },
};
