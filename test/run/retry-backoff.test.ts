import { describe, expect, test } from 'vitest';
import { type ExecutionResult, exec, type RetryingEvent } from '../../src/index.js';
import { createEngine } from '../helpers/engine.js';
import { counterFile, failTimes, nextEvent, recordEvents, runsOf } from '../helpers/retry.js';

/** The waits between one attempt's end and the next one's start. */
function gaps(result: ExecutionResult): number[] {
  const { attempts } = result;
  return attempts.slice(1).map((attempt, i) => {
    const previous = attempts[i]?.completedAt as Date;
    return (attempt.startedAt as Date).getTime() - previous.getTime();
  });
}

const delaysOf = (events: readonly { type: string }[]) =>
  events.filter((event): event is RetryingEvent => event.type === 'retrying').map((event) => event.delayMs);

describe('backoff', () => {
  test('fixed: the same delay before each retry', async () => {
    const engine = createEngine();
    const events = recordEvents(engine);
    const result = await engine.run({
      command: failTimes(counterFile(), 2),
      retry: { attempts: 3, delayMs: 150, backoff: 'fixed', jitter: false },
    });
    expect(delaysOf(events)).toEqual([150, 150]);
    for (const gap of gaps(result)) {
      expect(gap).toBeGreaterThanOrEqual(145);
      expect(gap).toBeLessThan(1500);
    }
  });

  test('exponential (the default) doubles, capped at maxDelayMs', async () => {
    const engine = createEngine();
    const events = recordEvents(engine);
    const result = await engine.run({
      command: failTimes(counterFile(), 3),
      retry: { attempts: 4, delayMs: 100, maxDelayMs: 250, jitter: false },
    });
    expect(delaysOf(events)).toEqual([100, 200, 250]);
    const [first, second, third] = gaps(result) as [number, number, number];
    expect(first).toBeGreaterThanOrEqual(95);
    expect(second).toBeGreaterThanOrEqual(195);
    expect(third).toBeGreaterThanOrEqual(245);
    expect(third).toBeLessThan(2000);
  });

  test('jitter (the default): each delay is drawn from 0 to the computed one', async () => {
    const engine = createEngine({ maxConcurrentExecutions: 8 });
    const events = recordEvents(engine);
    const ids = await Promise.all(
      Array.from({ length: 6 }, () =>
        engine.execute({ command: failTimes(counterFile(), 2), retry: { attempts: 3, delayMs: 80 } }),
      ),
    );
    await Promise.all(ids.map((id) => engine.waitForCompletion(id)));
    const retrying = events.filter((event): event is RetryingEvent => event.type === 'retrying');
    expect(retrying).toHaveLength(12);
    for (const event of retrying) {
      const limit = event.attempt === 2 ? 80 : 160;
      expect(Number.isInteger(event.delayMs) && event.delayMs >= 0 && event.delayMs <= limit).toBe(true);
    }
    // Drawn, not fixed: twelve draws are not all the same.
    expect(new Set(retrying.map((event) => event.delayMs)).size).toBeGreaterThan(1);
  });

  test('while waiting the execution is queued and its slot is free: another execution starts', async () => {
    const engine = createEngine({ maxConcurrentExecutions: 1 });
    const events = recordEvents(engine);
    const counter = counterFile();
    const retrying = nextEvent(engine, 'retrying');
    const first = await engine.execute({
      command: failTimes(counter, 1),
      retry: { attempts: 2, delayMs: 600, jitter: false },
    });
    const second = await engine.execute({ command: exec('true') });
    await retrying;
    expect(engine.getStatus(first)).toBe('queued');
    expect(engine.getExecution(first)).toMatchObject({
      status: 'queued',
      attempts: [{ attempt: 1, exitCode: 1 }],
    });
    await engine.waitForCompletion(second);
    expect(engine.getStatus(first)).toBe('queued');
    const result = await engine.waitForCompletion(first);
    expect(result.success).toBe(true);
    const order = events
      .filter((event) => event.type === 'started' || event.type === 'retrying')
      .map((event) => `${event.type} ${event.executionId === first ? 'first' : 'second'}`);
    expect(order).toEqual(['started first', 'retrying first', 'started second', 'started first']);
  });

  test('stats count an execution waiting for a retry as queued', async () => {
    const engine = createEngine();
    const retrying = nextEvent(engine, 'retrying');
    const id = await engine.execute({ command: exec('false'), retry: { attempts: 2, delayMs: 5000 } });
    await retrying;
    expect(engine.stats()).toMatchObject({ queued: 1, running: 0 });
    expect(engine.list({ status: 'queued' }).map((snapshot) => snapshot.id)).toEqual([id]);
    await engine.cancel(id);
    expect(engine.stats()).toMatchObject({ queued: 0, running: 0, cancelled: 1 });
  });

  test('cancel during the wait ends it cancelled at once, with no further attempt', async () => {
    const engine = createEngine();
    const counter = counterFile();
    const events = recordEvents(engine);
    const retrying = nextEvent(engine, 'retrying');
    const id = await engine.execute({
      command: failTimes(counter, 3),
      retry: { attempts: 3, delayMs: 400, jitter: false },
    });
    await retrying;
    const began = Date.now();
    expect(await engine.cancel(id, 'not worth it')).toBe(true);
    expect(Date.now() - began).toBeLessThan(300);
    const result = engine.getResult(id);
    expect(result).toMatchObject({ status: 'cancelled', stdout: 'attempt 1', exitCode: 1 });
    expect(result?.attempts).toHaveLength(1);
    // Past the delay: nothing started again (the wait was cleared).
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(runsOf(counter)).toBe(1);
    expect(events.filter((event) => event.type === 'started')).toHaveLength(1);
    expect(events.at(-1)).toMatchObject({ type: 'cancelled', reason: 'not worth it' });
  });

  test('subscribe replays every attempt, in order, also batched', async () => {
    const engine = createEngine();
    const id = await engine.execute({
      command: failTimes(counterFile(), 1),
      retry: { attempts: 2, delayMs: 10 },
    });
    await engine.waitForCompletion(id);
    const replayed: string[] = [];
    for await (const event of engine.subscribe(id)) {
      if (event.type === 'stdout' || event.type === 'stderr') replayed.push(`${event.type} ${event.line}`);
      else if (event.type === 'started') replayed.push(`started ${event.attempt}`);
      else replayed.push(event.type);
    }
    expect(replayed).toEqual([
      'started 1',
      'stdout attempt 1',
      'stderr err 1',
      'retrying',
      'started 2',
      'stdout attempt 2',
      'stderr err 2',
      'completed',
    ]);
    const batched: string[] = [];
    for await (const event of engine.subscribe(id, { lines: 'batched' })) {
      if (event.type === 'output') batched.push(...event.lines);
    }
    expect(batched).toEqual(['attempt 1', 'err 1', 'attempt 2', 'err 2']);
  });
});
