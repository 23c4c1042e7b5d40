import { describe, expect, test } from 'vitest';
import { journalAttempts, upgradeRecord } from '../../src/journal/record-fields.js';
import { toSpawnError } from '../../src/spawn/spawn-process.js';
import { ExecutionRecord } from '../../src/state/execution-record.js';
import { makeRecord } from './helpers/records.js';

const command = { file: '/bin/true', args: [] };
const at = new Date('2026-01-01T00:00:00Z');
const later = new Date('2026-01-01T00:00:01Z');

/** A record whose one attempt ran as pid 42 and exited 0. */
function finished(): ExecutionRecord {
  const record = new ExecutionRecord('x', {
    command,
    commandType: 'exec',
    metadata: undefined,
    timeoutMs: 1000,
    kill: { signal: 'SIGTERM', graceMs: 100 },
    parseJson: false,
  });
  record.state.start();
  record.state.spawned(42, at);
  const context = { id: 'x', command, limitBytes: 10, parseJson: false, stdout: () => '' };
  record.state.settle({ exitCode: 0, signal: null }, later, {
    ...context,
    spawnError: (error) => toSpawnError(error, command, 'x'),
  });
  return record;
}

describe('journal attempts', () => {
  // The pid lookup of a fast process can finish after its end: that late write must keep the end.
  test('written after the end, the attempt keeps its end and gains what was looked up', () => {
    const attempts = journalAttempts(finished(), [], { number: 1, procStartTime: '123', bootId: 'b' });
    expect(attempts).toEqual([
      {
        number: 1,
        pid: 42,
        procStartTime: '123',
        bootId: 'b',
        startedAt: at.toISOString(),
        completedAt: later.toISOString(),
        exitCode: 0,
        signal: null,
        status: 'completed',
      },
    ]);
  });

  test('what was looked up earlier is kept from the stored attempts', () => {
    const stored = [{ number: 1, pid: 42, procStartTime: '123', bootId: 'b' }];
    expect(journalAttempts(finished(), stored)[0]).toMatchObject({
      procStartTime: '123',
      bootId: 'b',
      exitCode: 0,
    });
  });

  test('a version 1 record becomes version 2, its top-level pid and times its one attempt', () => {
    const v1 = makeRecord({
      version: 1,
      status: 'running',
      pid: 7,
      startedAt: at.toISOString(),
      procStartTime: '9',
    });
    expect(upgradeRecord(v1)).toMatchObject({
      version: 2,
      attempts: [{ number: 1, pid: 7, startedAt: at.toISOString(), procStartTime: '9' }],
    });
  });
});
