import { once } from 'node:events';
import { describe, expect, test } from 'vitest';
import { exec, type RetryingEvent, type StartedEvent, shell } from '../../src/index.js';
import { createEngine } from '../helpers/engine.js';
import { counterFile, failTimes, nextEvent, recordEvents, runsOf } from '../helpers/retry.js';

const quick = { delayMs: 20, jitter: false } as const;

describe('retries', () => {
  test('runs again until it succeeds: the result is the last attempt, attempts lists them all', async () => {
    const engine = createEngine();
    const counter = counterFile();
    const events = recordEvents(engine);
    const id = await engine.execute({ command: failTimes(counter, 2), retry: { attempts: 4, ...quick } });
    const result = await engine.waitForCompletion(id);
    expect(result.status).toBe('completed');
    expect(result.success).toBe(true);
    expect(result.stdout).toBe('attempt 3');
    expect(result.stderr).toBe('err 3');
    expect(runsOf(counter)).toBe(3);
    expect(
      result.attempts.map(({ attempt, status, exitCode, signal }) => ({ attempt, status, exitCode, signal })),
    ).toEqual([
      { attempt: 1, status: 'completed', exitCode: 1, signal: null },
      { attempt: 2, status: 'completed', exitCode: 1, signal: null },
      { attempt: 3, status: 'completed', exitCode: 0, signal: null },
    ]);
    const started = events.filter((event): event is StartedEvent => event.type === 'started');
    expect(started.map((event) => event.attempt)).toEqual([1, 2, 3]);
    expect(result.attempts.map((attempt) => attempt.pid)).toEqual(started.map((event) => event.pid));
    expect(result.pid).toBe(started[2]?.pid);
    const retrying = events.filter((event): event is RetryingEvent => event.type === 'retrying');
    expect(retrying.map(({ attempt, delayMs, previous }) => ({ attempt, delayMs, previous }))).toEqual([
      { attempt: 2, delayMs: 20, previous: { status: 'completed', exitCode: 1, signal: null } },
      { attempt: 3, delayMs: 40, previous: { status: 'completed', exitCode: 1, signal: null } },
    ]);
    // From the first start to the end, across the waits.
    const first = result.attempts[0]?.startedAt as Date;
    expect(result.startedAt).toEqual(first);
    expect(result.durationMs).toBe(result.completedAt.getTime() - first.getTime());
    expect(result.durationMs).toBeGreaterThanOrEqual(60);
    expect(engine.stats()).toMatchObject({ completed: 1, queued: 0, running: 0 });
  });

  test('gives up after `attempts`: the last failure is the result', async () => {
    const engine = createEngine();
    const counter = counterFile();
    const result = await engine.waitForCompletion(
      await engine.execute({ command: failTimes(counter, 5, 'exit:3'), retry: { attempts: 2, ...quick } }),
    );
    expect(result).toMatchObject({ status: 'completed', exitCode: 3, stdout: 'attempt 2' });
    expect(result.attempts).toHaveLength(2);
    expect(runsOf(counter)).toBe(2);
  });

  test('a death by signal is retried; the retrying event says how the attempt ended', async () => {
    const engine = createEngine();
    const events = recordEvents(engine);
    const result = await engine.run({
      command: failTimes(counterFile(), 1, 'signal'),
      retry: { attempts: 2, ...quick },
    });
    expect(result.attempts[0]).toMatchObject({
      status: 'failed',
      signal: 'SIGTERM',
      error: { code: 'KILLED_BY_SIGNAL' },
    });
    const retrying = events.find((event): event is RetryingEvent => event.type === 'retrying');
    expect(retrying?.previous).toMatchObject({ status: 'failed', exitCode: null, signal: 'SIGTERM' });
    expect(retrying?.previous.error?.code).toBe('KILLED_BY_SIGNAL');
  });

  test('the timeout applies to each attempt', async () => {
    const engine = createEngine();
    const counter = counterFile();
    const result = await engine.run({
      command: failTimes(counter, 1, 'hang'),
      // Long enough for Node to start and exit on a busy machine, short for a hang.
      timeoutMs: 2000,
      retry: { attempts: 2, ...quick },
    });
    expect(result.attempts.map((attempt) => attempt.status)).toEqual(['timeout', 'completed']);
    expect(result.durationMs).toBeGreaterThanOrEqual(2000);
  });

  test('on: conditions not listed are not retried; a function decides from the attempt result', async () => {
    const engine = createEngine();
    const counter = counterFile();
    const onlyTimeout = await engine.waitForCompletion(
      await engine.execute({
        command: failTimes(counter, 1),
        retry: { attempts: 3, on: ['timeout'], ...quick },
      }),
    );
    expect(onlyTimeout.attempts).toHaveLength(1);
    const seen: string[] = [];
    const other = counterFile();
    const result = await engine.waitForCompletion(
      await engine.execute({
        command: failTimes(other, 5, 'exit:7'),
        retry: {
          attempts: 5,
          ...quick,
          on: (attempt) => {
            seen.push(`${attempt.status} ${attempt.exitCode} ${attempt.stdout}`);
            return attempt.attempts.length < 2;
          },
        },
      }),
    );
    expect(seen).toEqual(['completed 7 attempt 1', 'completed 7 attempt 2']);
    expect(result.attempts).toHaveLength(2);
  });

  test('a rule function that throws means no retry, reported as a warning', async () => {
    const engine = createEngine();
    const warning = once(process, 'warning');
    const result = await engine.waitForCompletion(
      await engine.execute({
        command: exec('false'),
        retry: {
          attempts: 3,
          on: () => {
            throw new Error('rule broke');
          },
        },
      }),
    );
    expect(result.attempts).toHaveLength(1);
    const [emitted] = (await warning) as [Error & { code?: string }];
    expect(emitted.code).toBe('EXECUTION_ENGINE_RETRY_RULE');
    expect(emitted.message).toContain('rule broke');
  });

  test('never retried: spawn failure, output limit, cancel, shutdown', async () => {
    const engine = createEngine({ maxOutputSizeBytes: 64, oversizedOutputStrategy: 'failExecution' });
    const retry = { attempts: 3, ...quick };
    const spawnFailed = await engine.waitForCompletion(
      await engine.execute({ command: exec('/nonexistent/program'), retry }),
    );
    expect(spawnFailed.error?.code).toBe('SPAWN_FAILED');
    expect(spawnFailed.attempts).toHaveLength(1);
    const tooMuch = await engine.waitForCompletion(
      await engine.execute({ command: shell('head -c 1000 /dev/zero; exit 1'), retry }),
    );
    expect(tooMuch.error?.code).toBe('OUTPUT_SIZE_EXCEEDED');
    expect(tooMuch.attempts).toHaveLength(1);
    const counter = counterFile();
    const started = nextEvent(engine, 'stdout'); // the script runs: its counter is written
    const running = await engine.execute({ command: failTimes(counter, 5, 'hang'), retry });
    await started;
    expect(await engine.cancel(running)).toBe(true);
    expect(engine.getResult(running)?.attempts).toHaveLength(1);
    const other = counterFile();
    const startedToo = nextEvent(engine, 'stdout');
    const atShutdown = await engine.execute({ command: failTimes(other, 5, 'hang'), retry });
    await startedToo;
    await engine.shutdown({ graceMs: 0 });
    expect(engine.getResult(atShutdown)).toMatchObject({ status: 'cancelled' });
    expect(runsOf(counter) + runsOf(other)).toBe(2);
  });
});
