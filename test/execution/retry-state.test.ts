import { describe, expect, test } from 'vitest';
import type { RetryPolicy } from '../../src/arguments/retry-options.js';
import type { Effect } from '../../src/execution/effects.js';
import { ExecutionState } from '../../src/execution/execution-state.js';
import type { OutcomeContext } from '../../src/execution/outcome.js';
import { toSpawnError } from '../../src/spawn/spawn-process.js';

const context: OutcomeContext = {
  id: 'x',
  command: { file: '/bin/sh', args: ['-c', 'exit 3'] },
  limitBytes: 100,
  parseJson: false,
  stdout: () => '',
  spawnError: (error) => toSpawnError(error, context.command, 'x'),
};
const types = (effects: readonly Effect[]) => effects.map((effect) => effect.type);
const at = new Date('2026-01-01T00:00:00Z');
const later = new Date('2026-01-01T00:00:02Z');
const policy = (fields: Partial<RetryPolicy> = {}): RetryPolicy => ({
  attempts: 3,
  delayMs: 100,
  backoff: 'exponential',
  maxDelayMs: 60_000,
  jitter: false,
  on: new Set(['nonZeroExit', 'killedBySignal', 'timeout']),
  ...fields,
});
const failed = { exitCode: 1, signal: null };

function running(retry: RetryPolicy = policy()): ExecutionState {
  const state = new ExecutionState(1000, retry);
  state.start();
  state.spawned(42, at);
  return state;
}

describe('retries in the state machine', () => {
  test('running → queued: record the attempt, journal, announce, free the slot, then schedule', () => {
    const state = running();
    const effects = state.settle(failed, later, context);
    expect(types(effects)).toEqual([
      'clearTimeout',
      'forgetDriver',
      'journalRetry',
      'emitRetrying',
      'releaseSlot',
      'scheduleRetry',
    ]);
    expect(effects).toContainEqual({ type: 'emitRetrying', delayMs: 100 });
    expect(effects).toContainEqual({ type: 'scheduleRetry', at: later.getTime() + 100 });
    expect(state.status).toBe('queued');
    expect(state.terminal).toBe(false);
    expect(state.nextAttemptAt).toBe(later.getTime() + 100);
    expect(state.attempts).toMatchObject([
      { number: 1, exitCode: 1, status: 'completed', completedAt: later },
    ]);
    // A snapshot while waiting shows no process.
    expect(state.pid).toBeUndefined();
    expect(state.exitCode).toBeNull();
  });

  test('the next start is attempt 2 with fresh output; the delay doubles; the last attempt settles', () => {
    const state = running();
    state.settle(failed, later, context);
    expect(state.start()).toEqual([{ type: 'newOutput' }]);
    state.spawned(43, later);
    const second = state.settle(failed, later, context);
    expect(second).toContainEqual({ type: 'emitRetrying', delayMs: 200 });
    state.start();
    state.spawned(44, later);
    expect(types(state.settle(failed, later, context))).toContain('keepResult');
    expect(state.status).toBe('completed');
    expect(state.attempts.map((attempt) => attempt.pid)).toEqual([42, 43, 44]);
    expect(state.firstStartedAt).toBe(at);
  });

  test('never retried: success, cancel, shutdown, output limit, spawn failure, lost', () => {
    expect(running().settle({ exitCode: 0, signal: null }, later, context)).toContainEqual({
      type: 'keepResult',
      counted: true,
    });
    for (const reason of ['cancel', 'shutdown', 'outputLimit'] as const) {
      const state = running();
      state.stop(reason);
      state.settle({ exitCode: null, signal: 'SIGTERM' }, later, context);
      expect(state.terminal).toBe(true);
    }
    const spawnFailed = new ExecutionState(1000, policy());
    spawnFailed.start();
    spawnFailed.settle({ exitCode: null, signal: null, spawnError: new Error('ENOENT') }, later, context);
    expect(spawnFailed.error?.code).toBe('SPAWN_FAILED');
    const lost = running();
    lost.settle({ exitCode: null, signal: null, lost: 'gone' }, later, context);
    expect(lost.error?.code).toBe('LOST');
  });

  test('a timeout is retried (its reason belongs to that attempt); a cancel after it still forbids a retry', () => {
    const state = running();
    state.stop('timeout');
    state.settle({ exitCode: null, signal: 'SIGTERM' }, later, context);
    expect(state.status).toBe('queued');
    expect(state.terminationReason).toBeUndefined();
    state.start();
    state.spawned(43, later);
    state.stop('timeout');
    state.stop('cancel', 'user');
    state.settle({ exitCode: null, signal: 'SIGTERM' }, later, context);
    expect(state.status).toBe('timeout');
  });

  test('on: a list limits the conditions; a function is asked', () => {
    const signalOnly = running(policy({ on: new Set(['killedBySignal']) }));
    signalOnly.settle(failed, later, context);
    expect(signalOnly.status).toBe('completed');
    const asked: string[] = [];
    const byFunction = running(policy({ on: () => true }));
    byFunction.settle(failed, later, context, (decision) => {
      asked.push(decision.status);
      return false;
    });
    expect(asked).toEqual(['completed']);
    expect(byFunction.status).toBe('completed');
  });

  test('stop while waiting for a retry clears the wait and ends cancelled, keeping the last attempt', () => {
    const state = running();
    state.settle(failed, later, context);
    expect(types(state.stop('cancel', 'enough'))).toEqual(['clearRetry', 'dequeue', 'settleUnstarted']);
    state.settle({ exitCode: null, signal: null }, later, context);
    expect(state.status).toBe('cancelled');
    expect(state.attempts).toHaveLength(1);
    expect(state.attempts[0]).toMatchObject({ exitCode: 1, status: 'completed' });
  });

  test('resume: attempts a previous host ran count, and the wait goes on until nextAttemptAt', () => {
    const state = new ExecutionState(1000, policy({ attempts: 2 }));
    const ended = {
      number: 1,
      pid: 7,
      startedAt: at,
      completedAt: at,
      exitCode: 1,
      signal: null,
      status: 'completed' as const,
    };
    expect(state.resume([ended], later.getTime())).toEqual([]);
    expect(state.awaitRetry()).toEqual([{ type: 'scheduleRetry', at: later.getTime() }]);
    state.start();
    state.spawned(8, later);
    // Attempt 2 of 2: no retry left.
    state.settle(failed, later, context);
    expect(state.status).toBe('completed');
    expect(state.attempts.map((attempt) => attempt.number)).toEqual([1, 2]);
  });
});
