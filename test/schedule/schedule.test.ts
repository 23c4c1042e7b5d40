import { setTimeout as delay } from 'node:timers/promises';
import { describe, expect, test } from 'vitest';
import {
  EngineShutDownError,
  type ExecutionEngine,
  type ExecutionEvent,
  InvalidRequestError,
  shell,
} from '../../src/index.js';
import { createEngine } from '../helpers/engine.js';

/** Every event of `engine` for schedule `name`, in order, as they come. */
function record(engine: ExecutionEngine, name: string): ExecutionEvent[] {
  const events: ExecutionEvent[] = [];
  engine.on('event', (event) => {
    if (event.schedule === name) events.push(event);
  });
  return events;
}

/** Resolves once `events` holds `count` events of `type` (polls every 20 ms, up to `timeoutMs`). */
async function until(events: ExecutionEvent[], type: string, count: number, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (events.filter((e) => e.type === type).length < count) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${count} ${type} events`);
    await delay(20);
  }
  return events.filter((e) => e.type === type);
}

/** The most runs of the schedule that were running at once, from its started and terminal events. */
function mostAtOnce(events: ExecutionEvent[]): number {
  let running = 0;
  let most = 0;
  for (const event of events) {
    if (event.type === 'started') most = Math.max(most, ++running);
    if (event.type === 'completed' || event.type === 'failed' || event.type === 'cancelled') running--;
  }
  return most;
}

function refusal(run: () => unknown): InvalidRequestError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidRequestError);
    return error as InvalidRequestError;
  }
  throw new Error('expected an InvalidRequestError');
}

describe('schedule', () => {
  test('each occurrence starts an ordinary execution carrying the schedule name', async () => {
    const engine = createEngine();
    const events = record(engine, 'tick');
    const handle = engine.schedule('tick', '* * * * * *', { command: shell('echo scheduled') });
    expect(handle.name).toBe('tick');
    const [first] = await until(events, 'completed', 1);
    const id = first!.executionId;
    const result = await engine.waitForCompletion(id);
    expect(result).toMatchObject({ status: 'completed', stdout: 'scheduled', schedule: 'tick' });
    expect(engine.getExecution(id).schedule).toBe('tick');
    const own = events.filter((e) => e.executionId === id).map((e) => e.type);
    expect(own).toEqual(expect.arrayContaining(['started', 'stdout', 'completed']));
    // Line events carry it too, also when replayed.
    const replayed: ExecutionEvent[] = [];
    for await (const event of engine.subscribe(id)) replayed.push(event);
    expect(replayed.every((e) => e.schedule === 'tick')).toBe(true);
    const [info] = engine.listSchedules();
    expect(info).toMatchObject({ name: 'tick', cron: '* * * * * *', overlap: 'skip', skipped: 0 });
    // lastRun is the occurrence: a whole second, at or before the run's start.
    expect(info!.lastRun!.getMilliseconds()).toBe(0);
    expect(info!.lastRun!.getTime()).toBeLessThanOrEqual(result.startedAt!.getTime());
    expect(info!.nextRun!.getTime()).toBeGreaterThan(info!.lastRun!.getTime());
    expect(handle.nextRun()).toEqual(info!.nextRun);
  });

  test("overlap 'skip' (the default) drops occurrences while a run goes on and counts them", async () => {
    const engine = createEngine();
    const events = record(engine, 'slow');
    engine.schedule('slow', '* * * * * *', { command: shell('sleep 2.2') });
    await until(events, 'completed', 1, 15_000);
    expect(mostAtOnce(events)).toBe(1);
    expect(engine.listSchedules()[0]!.skipped).toBeGreaterThanOrEqual(1);
  });

  test("overlap 'queue' keeps one waiting occurrence and starts it when the previous run ends", async () => {
    const engine = createEngine();
    const events = record(engine, 'queued');
    engine.schedule('queued', '* * * * * *', { command: shell('sleep 1.6') }, { overlap: 'queue' });
    const [, second] = await until(events, 'started', 2, 15_000);
    const [firstEnd] = await until(events, 'completed', 1);
    // The waiting run starts as the first ends, not at the next whole second.
    expect(second!.timestamp - firstEnd!.timestamp).toBeGreaterThanOrEqual(0);
    expect(second!.timestamp - firstEnd!.timestamp).toBeLessThan(500);
    expect(mostAtOnce(events)).toBe(1);
    // A 1.6 s run every second: while one waits, the next occurrence is skipped.
    await until(events, 'completed', 2, 15_000);
    expect(engine.listSchedules()[0]!.skipped).toBeGreaterThanOrEqual(1);
  });

  test("overlap 'allow' starts every occurrence, running or not", async () => {
    const engine = createEngine();
    const events = record(engine, 'many');
    engine.schedule('many', '* * * * * *', { command: shell('sleep 2.5') }, { overlap: 'allow' });
    await until(events, 'started', 2, 15_000);
    expect(mostAtOnce(events)).toBeGreaterThanOrEqual(2);
    expect(engine.listSchedules()[0]).toMatchObject({ skipped: 0, running: expect.any(Number) });
    expect(engine.listSchedules()[0]!.running).toBeGreaterThanOrEqual(2);
  });

  test('a time zone places the occurrences; an unknown one is refused with field cron', () => {
    const engine = createEngine();
    const handle = engine.schedule(
      'kolkata',
      '30 9 * * *',
      { command: shell('true') },
      { timezone: 'Asia/Kolkata' },
    );
    const next = handle.nextRun()!;
    expect([next.getUTCHours(), next.getUTCMinutes()]).toEqual([4, 0]); // 09:30 at UTC+05:30
    expect(engine.listSchedules()[0]).toMatchObject({ timezone: 'Asia/Kolkata' });
    const error = refusal(() =>
      engine.schedule('mars', '* * * * *', { command: shell('true') }, { timezone: 'Mars/Olympus' }),
    );
    expect(error.field).toBe('cron');
    expect(error.message).toMatch(/Mars\/Olympus/);
    expect(engine.listSchedules().map((s) => s.name)).toEqual(['kolkata']);
  });

  test.each([
    ['61 * * * *', /valid cron expression/],
    ['* * *', /five fields/],
    ['* * * * * * *', /five fields/],
    ['2030-01-01T00:00:00', /five fields/],
    ['0 0 30 2 *', /never does/],
    ['', /five fields/],
  ])('an invalid expression %j is refused with field cron, nothing registered', (cron, message) => {
    const engine = createEngine();
    const error = refusal(() => engine.schedule('bad', cron, { command: shell('true') }));
    expect(error).toMatchObject({
      code: 'INVALID_REQUEST',
      field: 'cron',
      message: expect.stringMatching(message),
    });
    expect(engine.listSchedules()).toEqual([]);
  });

  test('five fields, six fields and nicknames are accepted', () => {
    const engine = createEngine();
    const target = { command: shell('true') };
    expect(engine.schedule('minutes', '*/5 * * * *', target).nextRun()!.getSeconds()).toBe(0);
    expect(engine.schedule('seconds', '*/10 * * * * *', target).nextRun()!.getSeconds() % 10).toBe(0);
    expect(engine.schedule('daily', '@daily', target).nextRun()!.getHours()).toBe(0);
  });

  test('a taken or invalid name, bad options and a bad target are refused, nothing registered', () => {
    const engine = createEngine();
    const target = { command: shell('true') };
    engine.schedule('taken', '0 0 * * *', target);
    expect(refusal(() => engine.schedule('taken', '0 1 * * *', target))).toMatchObject({ field: 'name' });
    expect(refusal(() => engine.schedule('../up', '0 0 * * *', target))).toMatchObject({ field: 'name' });
    expect(
      refusal(() => engine.schedule('x', '0 0 * * *', target, { overlap: 'wait' as never })),
    ).toMatchObject({
      field: 'overlap',
    });
    expect(refusal(() => engine.schedule('x', '0 0 * * *', target, { catchUp: 1 as never }))).toMatchObject({
      field: 'catchUp',
    });
    expect(refusal(() => engine.schedule('x', '0 0 * * *', target, { tz: 'UTC' } as never))).toMatchObject({
      field: 'tz',
    });
    // The target is checked as execute() checks a request: unknown keys, types, ranges.
    const bad = (request: unknown) => () => engine.schedule('x', '0 0 * * *', request as never);
    expect(refusal(bad({ command: shell('true'), timeout: 5 }))).toMatchObject({ field: 'timeout' });
    expect(refusal(bad({ command: shell('true'), timeoutMs: -1 }))).toMatchObject({ field: 'timeoutMs' });
    expect(refusal(bad({ command: { type: 'exec', program: '' } }))).toMatchObject({
      field: 'command.program',
    });
    expect(refusal(bad({ command: shell('true'), metadata: { n: Number.NaN } }))).toMatchObject({
      field: 'metadata',
    });
    // Runs are new executions with ids of their own; a schedule is stopped, not aborted.
    expect(refusal(bad({ id: 'fixed', command: shell('true') })).message).toMatch(/new execution/);
    expect(refusal(bad({ command: shell('true'), signal: new AbortController().signal }))).toMatchObject({
      field: 'signal',
    });
    expect(engine.listSchedules().map((s) => s.name)).toEqual(['taken']);
  });

  test('what only a run can check (cwd exists) is checked at each run; a refused run is a warning', async () => {
    const engine = createEngine();
    const warned = new Promise<Error>((resolve) => {
      const onWarning = (warning: Error & { code?: string }) => {
        if (warning.code !== 'EXECUTION_ENGINE_SCHEDULE') return;
        process.off('warning', onWarning);
        resolve(warning);
      };
      process.on('warning', onWarning);
    });
    engine.schedule('nowhere', '* * * * * *', { command: shell('true'), cwd: '/no/such/dir' });
    const warning = await warned;
    expect(warning.message).toMatch(/schedule `nowhere` did not run .*cwd/);
    expect(engine.list()).toEqual([]);
    expect(engine.listSchedules()[0]).toMatchObject({ name: 'nowhere', running: 0 });
  });

  test('stop() and unschedule() stop one schedule and free its name; runs started go on', async () => {
    const engine = createEngine();
    const events = record(engine, 'one');
    const handle = engine.schedule('one', '* * * * * *', { command: shell('sleep 0.5; echo done') });
    engine.schedule('other', '0 0 1 1 *', { command: shell('true') });
    const [started] = await until(events, 'started', 1);
    handle.stop();
    expect(handle.nextRun()).toBeNull();
    expect(engine.listSchedules().map((s) => s.name)).toEqual(['other']);
    expect((await engine.waitForCompletion(started!.executionId)).stdout).toBe('done');
    await delay(1500); // a whole occurrence passes with no run
    expect(events.filter((e) => e.type === 'started')).toHaveLength(1);
    expect(engine.unschedule('one')).toBe(false);
    expect(engine.unschedule('other')).toBe(true);
    expect(engine.listSchedules()).toEqual([]);
    engine.schedule('one', '0 0 1 1 *', { command: shell('true') }); // the name is free again
  });

  test('shutdown() stops every schedule, and a shut-down engine refuses schedule()', async () => {
    const engine = createEngine();
    const events = record(engine, 'busy');
    const handle = engine.schedule('busy', '* * * * * *', { command: shell('true') });
    await engine.shutdown();
    expect(engine.listSchedules()).toEqual([]);
    expect(handle.nextRun()).toBeNull();
    expect(() => engine.schedule('late', '* * * * * *', { command: shell('true') })).toThrow(
      EngineShutDownError,
    );
    await delay(1500);
    expect(events.filter((e) => e.type === 'started')).toEqual([]);
  });
});
