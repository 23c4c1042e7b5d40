import type { JournalRecord } from '../../../src/journal/journal-types.js';

/** Overrides for {@link makeRecord}; a field set to `undefined` is left out of the record. */
export type RecordOverrides = { [K in keyof JournalRecord]?: JournalRecord[K] | undefined };

/** A valid record with `overrides` applied; defaults to a queued `echo hi`. */
export function makeRecord(overrides: RecordOverrides = {}): JournalRecord {
  const record: Record<string, unknown> = {
    version: 1,
    id: 'exec-1',
    status: 'queued',
    command: { file: '/bin/echo', args: ['hi'] },
    request: { command: { type: 'exec', program: 'echo', args: ['hi'] } },
    createdAt: '2025-01-01T00:00:00.000Z',
    ...overrides,
  };
  for (const key of Object.keys(record)) if (record[key] === undefined) delete record[key];
  return record as unknown as JournalRecord;
}
