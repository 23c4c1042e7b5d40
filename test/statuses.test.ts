import { describe, expect, test } from 'vitest';
import { checkListFilter } from '../src/arguments/method-options.js';
import type { ExecutionEvent } from '../src/index.js';
import { isTerminal, isTerminalEvent } from '../src/index.js';
import { decodeRecord, encodeRecord } from '../src/journal/record-codec.js';
import { EXECUTION_STATUSES, isExecutionStatus, TERMINAL_STATUSES } from '../src/types.js';
import { makeRecord } from './journal/helpers/records.js';

// The statuses are listed once, in src/types.ts; everything that checks a status derives from it.

describe('the one list of statuses', () => {
  test('six statuses, live ones first, then the four terminal ones', () => {
    expect(EXECUTION_STATUSES).toEqual(['queued', 'running', 'completed', 'failed', 'timeout', 'cancelled']);
    expect(TERMINAL_STATUSES).toEqual(EXECUTION_STATUSES.slice(2));
  });

  test.each(EXECUTION_STATUSES)(
    '%s: isTerminal, isTerminalEvent, the list filter and the journal agree',
    (status) => {
      const terminal = (TERMINAL_STATUSES as readonly string[]).includes(status);
      expect(isExecutionStatus(status)).toBe(true);
      expect(isTerminal(status)).toBe(terminal);
      expect(isTerminalEvent({ type: status } as ExecutionEvent)).toBe(terminal);
      expect(checkListFilter({ status })).toEqual(new Set([status]));
      expect(decodeRecord(encodeRecord(makeRecord({ status })))).toHaveProperty('record');
    },
  );

  test.each(['', 'done', 'Queued', 'toString', 'started', 'stdout'])('%j is no status', (value) => {
    expect(isExecutionStatus(value)).toBe(false);
    expect(() => checkListFilter({ status: value })).toThrow(
      /queued, running, completed, failed, timeout, cancelled/,
    );
    expect(decodeRecord(encodeRecord(makeRecord({ status: value as 'queued' })))).toEqual({
      reason: '`status` is missing or invalid',
    });
  });

  test.each(['queued', 'started', 'stdout', 'stderr', 'outputTruncated', 'recovered'])(
    'the %s event is not terminal',
    (type) => {
      expect(isTerminalEvent({ type } as ExecutionEvent)).toBe(false);
    },
  );
});
