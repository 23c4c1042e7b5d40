import { describe, expect, test } from 'vitest';
import type { RetryPolicy } from '../../src/arguments/retry-options.js';
import { backoffDelay, retryCondition } from '../../src/execution/retry-policy.js';

const base: RetryPolicy = {
  attempts: 10,
  delayMs: 100,
  backoff: 'exponential',
  maxDelayMs: 1000,
  jitter: false,
  on: new Set(),
};

describe('backoffDelay', () => {
  test('exponential doubles from delayMs, capped at maxDelayMs', () => {
    expect([1, 2, 3, 4, 5].map((n) => backoffDelay(base, n))).toEqual([100, 200, 400, 800, 1000]);
  });

  test('fixed stays at delayMs (still capped)', () => {
    expect([1, 2, 3].map((n) => backoffDelay({ ...base, backoff: 'fixed' }, n))).toEqual([100, 100, 100]);
    expect(backoffDelay({ ...base, backoff: 'fixed', maxDelayMs: 50 }, 1)).toBe(50);
  });

  test('full jitter: a whole number from 0 to the delay, both ends included', () => {
    const jittered = { ...base, jitter: true };
    expect(backoffDelay(jittered, 2, () => 0)).toBe(0);
    expect(backoffDelay(jittered, 2, () => 0.999_999_9)).toBe(200);
    for (let i = 0; i < 200; i++) {
      const delay = backoffDelay(jittered, 3);
      expect(Number.isInteger(delay) && delay >= 0 && delay <= 400).toBe(true);
    }
  });
});

describe('retryCondition', () => {
  test('maps an ending to its condition', () => {
    expect(retryCondition(undefined, { status: 'completed' }, 2)).toBe('nonZeroExit');
    expect(retryCondition('timeout', { status: 'timeout' }, null)).toBe('timeout');
    const killed = { status: 'failed' as const, error: { code: 'KILLED_BY_SIGNAL' as const, message: '' } };
    expect(retryCondition(undefined, killed, null)).toBe('killedBySignal');
  });

  test.each([
    ['success', undefined, { status: 'completed' as const }, 0],
    ['cancel', 'cancel' as const, { status: 'cancelled' as const }, null],
    ['shutdown', 'shutdown' as const, { status: 'cancelled' as const }, null],
    [
      'SPAWN_FAILED',
      undefined,
      { status: 'failed' as const, error: { code: 'SPAWN_FAILED' as const, message: '' } },
      null,
    ],
    [
      'OUTPUT_SIZE_EXCEEDED',
      'outputLimit' as const,
      { status: 'failed' as const, error: { code: 'OUTPUT_SIZE_EXCEEDED' as const, message: '' } },
      null,
    ],
    [
      'EXPIRED',
      undefined,
      { status: 'failed' as const, error: { code: 'EXPIRED' as const, message: '' } },
      null,
    ],
    ['LOST', undefined, { status: 'failed' as const, error: { code: 'LOST' as const, message: '' } }, null],
  ])('never retried: %s', (_name, reason, decision, exitCode) => {
    expect(retryCondition(reason, decision, exitCode)).toBeUndefined();
  });
});
