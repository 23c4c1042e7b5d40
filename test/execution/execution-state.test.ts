import { describe, expect, test } from 'vitest';
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

function running(): ExecutionState {
  const state = new ExecutionState(1000);
  state.start();
  state.spawned(42, at);
  return state;
}

describe('the execution state machine', () => {
  test('start, spawn and settle: one attempt with pid, times and exit; effects in order', () => {
    const state = new ExecutionState(1000);
    expect(state.status).toBe('queued');
    expect(state.start()).toEqual([]);
    expect(state.status).toBe('running');
    const spawned = state.spawned(42, at);
    expect(spawned).toEqual([
      { type: 'emitStarted' },
      { type: 'journalStarted' },
      { type: 'armTimeout', deadline: at.getTime() + 1000 },
    ]);
    const settled = state.settle({ exitCode: 3, signal: null }, later, context);
    expect(types(settled)).toEqual([
      'clearTimeout',
      'keepResult',
      'journalTerminal',
      'terminalEvent',
      'settleWaiters',
      'releaseSlot',
    ]);
    expect(state.status).toBe('completed');
    expect(state.attempts).toEqual([
      {
        number: 1,
        pid: 42,
        startedAt: at,
        completedAt: later,
        exitCode: 3,
        signal: null,
        error: undefined,
        status: 'completed',
      },
    ]);
    expect(state.exitCode).toBe(3);
    expect(state.completedAt).toBe(later);
    expect(Object.isFrozen(state.attempts[0])).toBe(true);
  });

  test('the first termination reason wins and decides the status', () => {
    const state = running();
    expect(types(state.stop('timeout'))).toEqual(['clearTimeout', 'terminate']);
    state.stop('cancel', 'user asked');
    expect(state.terminationReason).toBe('timeout');
    expect(state.cancelReason).toBeUndefined();
    state.settle({ exitCode: null, signal: 'SIGTERM' }, later, context);
    expect(state.status).toBe('timeout');
    expect(state.stop('cancel')).toEqual([]);
  });

  test('a queued execution that is stopped is dequeued and settled at once, with no attempt', () => {
    const state = new ExecutionState(1000);
    expect(types(state.stop('cancel', 'not needed'))).toEqual(['dequeue', 'settleUnstarted']);
    const settled = state.settle({ exitCode: null, signal: null }, later, context);
    expect(types(settled)).not.toContain('releaseSlot');
    expect(state.status).toBe('cancelled');
    expect(state.cancelReason).toBe('not needed');
    expect(state.attempts).toEqual([]);
  });

  test('an output limit fails it with OUTPUT_SIZE_EXCEEDED and keeps the error as cause', () => {
    const state = running();
    state.stop('outputLimit');
    state.settle({ exitCode: null, signal: 'SIGTERM' }, later, context);
    expect(state.status).toBe('failed');
    expect(state.error?.code).toBe('OUTPUT_SIZE_EXCEEDED');
    expect(state.errorCause?.name).toBe('OutputSizeExceededError');
  });

  test('a signal the engine did not send is KILLED_BY_SIGNAL; a start that failed is SPAWN_FAILED', () => {
    const killed = running();
    killed.settle({ exitCode: null, signal: 'SIGKILL' }, later, context);
    expect(killed.error?.code).toBe('KILLED_BY_SIGNAL');
    const failed = new ExecutionState(1000);
    failed.start();
    const spawnError = Object.assign(new Error('spawn /nope ENOENT'), { code: 'ENOENT' });
    failed.settle({ exitCode: null, signal: null, spawnError }, later, context);
    expect(failed.status).toBe('failed');
    expect(failed.error?.code).toBe('SPAWN_FAILED');
    expect(failed.attempts[0]?.error?.code).toBe('SPAWN_FAILED');
  });

  test('recovery: adopt keeps the original deadline and holds a slot; readBack holds none', () => {
    const adopted = new ExecutionState(1000);
    expect(adopted.adopt(7, at, 12345)).toEqual([{ type: 'armTimeout', deadline: 12345 }]);
    expect(adopted.pid).toBe(7);
    expect(types(adopted.settle({ exitCode: 0, signal: null }, later, context))).toContain('releaseSlot');
    const readBack = new ExecutionState(1000);
    readBack.readBack({ pid: 8, startedAt: at });
    expect(types(readBack.settle({ exitCode: 0, signal: null }, later, context))).not.toContain(
      'releaseSlot',
    );
    expect(readBack.attempts[0]?.pid).toBe(8);
  });

  test('restore goes straight to the stored terminal state, for replay only', () => {
    const state = new ExecutionState(1000);
    const effects = state.restore({
      status: 'failed',
      exitCode: null,
      signal: null,
      error: { code: 'LOST', message: 'gone' },
      completedAt: later,
      pid: 9,
      startedAt: at,
    });
    expect(effects).toEqual([
      { type: 'keepResult', counted: false },
      { type: 'terminalEvent', replayOnly: true },
    ]);
    expect(state.status).toBe('failed');
    expect(state.attempts[0]).toMatchObject({ pid: 9, completedAt: later });
  });

  const ended = { exitCode: 0, signal: null };
  test.each([
    ['spawned while queued', (s: ExecutionState) => s.spawned(1, at)],
    ['start twice', (s: ExecutionState) => [s.start(), s.start()]],
    ['adopt a running one', (s: ExecutionState) => [s.start(), s.adopt(1, at, 0)]],
    [
      'settle twice',
      (s: ExecutionState) => [s.start(), s.settle(ended, at, context), s.settle(ended, at, context)],
    ],
    [
      'restore a live status',
      (s: ExecutionState) =>
        s.restore({ status: 'running', exitCode: null, signal: null, error: undefined, completedAt: at }),
    ],
  ])('an invalid transition throws: %s', (_name, transition) => {
    expect(() => transition(new ExecutionState(1000))).toThrow();
  });
});
