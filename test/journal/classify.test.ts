import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { type ClassifyContext, classifyJournal, classifyRecord } from '../../src/journal/classify.js';
import { FileJournal } from '../../src/journal/file-journal.js';
import type { JournalExit, JournalRecord } from '../../src/journal/journal-types.js';
import { isSameProcess, readBootId, readProcessStartTime } from '../../src/journal/proc-info.js';
import { deadPid, killStarted, spawnTracked, waitFor } from './helpers/processes.js';
import { makeRecord, type RecordOverrides } from './helpers/records.js';
import { makeTempDir, removeTempDirs } from './helpers/temp-dir.js';

const journals: FileJournal[] = [];

afterEach(async () => {
  await Promise.all(journals.splice(0).map((journal) => journal.close()));
  killStarted();
  await removeTempDirs();
});

const BOOT = 'boot-now';
const EXIT: JournalExit = { exitCode: 3, signal: null };

/** A context where `exits` lists the ids with an exit file and `alive` the live "pid:start" pairs. */
function context(options: { exits?: string[]; alive?: string[]; requeue?: boolean } = {}): ClassifyContext {
  return {
    bootId: BOOT,
    readExit: async (id) => (options.exits?.includes(id) ? EXIT : undefined),
    isSameProcess: async (pid, start) => options.alive?.includes(`${pid}:${start}`) ?? false,
    requeueOnRecover: options.requeue ?? true,
  };
}

const running = (overrides: RecordOverrides = {}) =>
  makeRecord({ status: 'running', pid: 100, pgid: 100, procStartTime: '5000', bootId: BOOT, ...overrides });

describe('classifyRecord', () => {
  test.each<[string, JournalRecord, ClassifyContext, string | undefined]>([
    ['queued', makeRecord(), context(), 'requeued'],
    ['queued without requeueOnRecover', makeRecord(), context({ requeue: false }), 'cancelled'],
    [
      'queued but launched just before the crash',
      makeRecord(),
      context({ exits: ['exec-1'] }),
      'finishedWhileDown',
    ],
    [
      'running on another boot',
      running({ bootId: 'boot-before' }),
      context({ alive: ['100:5000'] }),
      'rebooted',
    ],
    [
      'running on another boot with an exit file',
      running({ bootId: 'old' }),
      context({ exits: ['exec-1'] }),
      'rebooted',
    ],
    [
      'running with an exit file',
      running(),
      context({ exits: ['exec-1'], alive: ['100:5000'] }),
      'finishedWhileDown',
    ],
    ['running and still alive', running(), context({ alive: ['100:5000'] }), 'adopted'],
    ['running with its pid reused by another process', running(), context({ alive: ['100:9999'] }), 'lost'],
    ['running with its pid gone', running(), context(), 'lost'],
    ['running without a recorded pid', running({ pid: undefined }), context({ alive: ['100:5000'] }), 'lost'],
    [
      'running without a recorded boot id',
      running({ bootId: undefined }),
      context({ alive: ['100:5000'] }),
      'adopted',
    ],
    ['completed', running({ status: 'completed', exitCode: 0 }), context(), undefined],
    ['cancelled', makeRecord({ status: 'cancelled' }), context(), undefined],
  ])('%s', async (_, record, ctx, expected) => {
    expect(await classifyRecord(record, ctx)).toBe(expected);
  });

  test.runIf(process.platform === 'linux')(
    'with the real /proc, a live pid with another start time is lost, not adopted',
    async () => {
      const ctx: ClassifyContext = { ...context(), bootId: await readBootId(), isSameProcess };
      const start = await readProcessStartTime(process.pid);
      const base = { pid: process.pid, pgid: process.pid, bootId: ctx.bootId };
      expect(await classifyRecord(running({ ...base, procStartTime: start }), ctx)).toBe('adopted');
      expect(await classifyRecord(running({ ...base, procStartTime: `${start}7` }), ctx)).toBe('lost');
      expect(await classifyRecord(running({ ...base, procStartTime: undefined }), ctx)).toBe('lost');
    },
  );
});

describe.runIf(process.platform === 'linux')('classifyJournal', () => {
  test('classifies a real journal and reports unreadable files without failing', async () => {
    const dir = await makeTempDir();
    const journal = new FileJournal({ dir });
    journals.push(journal);
    await journal.open();
    const bootId = await readBootId();
    const sleeper = spawnTracked('sleep', ['30']);
    const procStartTime = await waitFor(() => readProcessStartTime(sleeper.pid!));
    const at = (n: number) => new Date(Date.UTC(2025, 0, 1, 0, 0, n)).toISOString();
    const records = [
      makeRecord({ id: 'queued', createdAt: at(1) }),
      running({
        id: 'adopted',
        createdAt: at(2),
        pid: sleeper.pid,
        pgid: sleeper.pid,
        procStartTime,
        bootId,
      }),
      running({ id: 'finished', createdAt: at(3), pid: await deadPid(), bootId }),
      running({ id: 'lost', createdAt: at(4), pid: await deadPid(), bootId }),
      running({ id: 'rebooted', createdAt: at(5), bootId: 'another-boot' }),
      running({ id: 'done', createdAt: at(6), status: 'completed', exitCode: 0, bootId }),
    ];
    for (const record of records) await journal.write(record);
    await writeFile(journal.files('finished').exit, '0\n');
    await writeFile(join(dir, 'torn.json'), '{"version": 1, "id": "to');

    const { classified, report } = await classifyJournal(journal, { requeueOnRecover: true });
    expect(report).toEqual({
      executions: [
        { id: 'queued', classification: 'requeued' },
        { id: 'adopted', classification: 'adopted' },
        { id: 'finished', classification: 'finishedWhileDown' },
        { id: 'lost', classification: 'lost' },
        { id: 'rebooted', classification: 'rebooted' },
      ],
      unreadable: [{ file: join(dir, 'torn.json'), reason: expect.stringMatching(/^invalid JSON/) }],
    });
    expect(classified[1]?.record.pid).toBe(sleeper.pid);
  });

  test('an exit file that cannot be read counts as absent', async () => {
    const dir = await makeTempDir();
    const journal = new FileJournal({ dir });
    journals.push(journal);
    await journal.open();
    await journal.write(running({ id: 'odd', pid: await deadPid(), bootId: await readBootId() }));
    // A directory where the exit file should be: reading it fails with EISDIR.
    await (await import('node:fs/promises')).mkdir(journal.files('odd').exit);
    const { report } = await classifyJournal(journal, { requeueOnRecover: false });
    expect(report.executions).toEqual([{ id: 'odd', classification: 'lost' }]);
  });
});
