import { EventEmitter } from 'eventemitter3';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { EventBus, trackedExecutionCount } from '../../src/events/event-bus.js';
import type { EngineEvents, ExecutionEvent } from '../../src/events/event-types.js';
import { type CompletedResult, exec } from '../../src/index.js';
import { createEngine, shutDownTrackedEngines } from '../helpers/tracked-engine.js';

afterEach(shutDownTrackedEngines);

const never = () => new Promise<void>(() => {});

function event(executionId: string, seq: number, type: 'started' | 'stdout' | 'completed'): ExecutionEvent {
  const base = { executionId, seq, timestamp: Date.now() };
  if (type === 'started') return { ...base, type, pid: 1, command: { file: 'x', args: [] }, attempt: 1 };
  if (type === 'stdout') return { ...base, type, line: 'l' };
  return { ...base, type, result: {} as CompletedResult };
}

describe('EventBus per-execution tracking of async handler promises', () => {
  test('promises that never settle leave no state once their executions are terminal', () => {
    const bus = new EventBus(new EventEmitter<EngineEvents>());
    bus.addHandler({ handleEvent: never });
    for (let i = 0; i < 2000; i++) {
      bus.emit(event(`e${i}`, 1, 'started'));
      bus.emit(event(`e${i}`, 2, 'stdout'));
      expect(bus.trackedExecutions).toBe(1);
      bus.emit(event(`e${i}`, 3, 'completed'));
    }
    expect(bus.trackedExecutions).toBe(0);
  });

  test('a late settle after the terminal event is a no-op, even when the id is reused', async () => {
    const bus = new EventBus(new EventEmitter<EngineEvents>());
    const pressure = vi.fn();
    bus.onPressure = pressure;
    const pending: (() => void)[] = [];
    bus.addHandler({ handleEvent: () => new Promise<void>((resolve) => pending.push(resolve)) });
    bus.emit(event('same', 1, 'started'));
    bus.emit(event('same', 2, 'completed'));
    expect(bus.trackedExecutions).toBe(0);
    bus.emit(event('same', 1, 'started')); // a new execution under the same id
    const before = pending.length;
    for (const resolve of pending.splice(0, before - 1)) resolve(); // the old ones settle late
    await new Promise((resolve) => setImmediate(resolve));
    expect(bus.trackedExecutions).toBe(1); // the new execution's promise is still counted
    for (const resolve of pending.splice(0)) resolve();
    await new Promise((resolve) => setImmediate(resolve));
    expect(bus.trackedExecutions).toBe(0);
    expect(pressure).not.toHaveBeenCalled();
  });

  test('back-pressure still pauses past 1000 unsettled promises and resumes as they settle', async () => {
    const bus = new EventBus(new EventEmitter<EngineEvents>());
    const pressure = vi.fn();
    bus.onPressure = pressure;
    const pending: (() => void)[] = [];
    bus.addHandler({ handleEvent: () => new Promise<void>((resolve) => pending.push(resolve)) });
    for (let seq = 1; seq <= 1000; seq++) bus.emit(event('busy', seq, 'stdout'));
    expect(pressure.mock.calls).toEqual([['busy', true]]);
    for (const resolve of pending.splice(0, 899)) resolve();
    await new Promise((resolve) => setImmediate(resolve));
    expect(pressure.mock.calls).toEqual([['busy', true]]); // 101 left: still paused
    pending.shift()?.();
    await new Promise((resolve) => setImmediate(resolve));
    expect(pressure.mock.calls).toEqual([
      ['busy', true],
      ['busy', false],
    ]);
  });
});

describe('an engine with a handler whose promises never settle', () => {
  test('keeps no per-execution handler state after 2000 executions end', async () => {
    const engine = createEngine();
    engine.addEventHandler({ handleEvent: never });
    const ids: string[] = [];
    for (let i = 0; i < 2000; i++) ids.push(await engine.execute({ command: exec('true') }));
    for (const id of ids) await engine.waitForCompletion(id);
    expect(trackedExecutionCount(engine)).toBe(0);
  }, 120_000);
});
