import { getEventListeners } from 'node:events';
import { describe, expect, test } from 'vitest';
import {
  type CancelledEvent,
  type ExecutionEngine,
  exec,
  InvalidConfigError,
  InvalidRequestError,
  shell,
} from '../../src/index.js';
import { createEngine } from '../helpers/engine.js';
import { fixture } from '../helpers/fixtures.js';
import { liveGroupMembers } from '../helpers/processes.js';

/** Resolves once an execution printed a line equal to `line`. */
function printed(engine: ExecutionEngine, line: string): Promise<string> {
  return new Promise((resolve) => {
    engine.on('stdout', (event) => {
      if (event.line === line) resolve(event.executionId);
    });
  });
}

const cancelReason = (engine: ExecutionEngine) =>
  new Promise<string | undefined>((resolve) =>
    engine.on('cancelled', (e: CancelledEvent) => resolve(e.reason)),
  );

// The signal was silently ignored: aborted at 100 ms, the command still completed after 1,004 ms.
describe('request `signal`', () => {
  test('an already aborted signal rejects with its reason and registers nothing', async () => {
    const engine = createEngine();
    const controller = new AbortController();
    const reason = new Error('window closed');
    controller.abort(reason);
    await expect(engine.execute({ command: exec('true'), signal: controller.signal })).rejects.toBe(reason);
    expect(engine.list()).toEqual([]);
    expect(engine.stats().retained).toBe(0);
  });

  test('aborting a running execution cancels it with the reason as text, whole group gone', async () => {
    const engine = createEngine();
    const controller = new AbortController();
    const ready = printed(engine, 'ready');
    const reason = cancelReason(engine);
    const id = await engine.execute({ command: shell('echo ready; sleep 30'), signal: controller.signal });
    await ready;
    controller.abort('user closed the window');
    const result = await engine.waitForCompletion(id);
    expect(result.status).toBe('cancelled');
    expect(await reason).toBe('user closed the window');
    expect(liveGroupMembers(result.pid!)).toEqual([]);
  });

  test('aborting a queued execution cancels it before it starts', async () => {
    const engine = createEngine({ maxConcurrentExecutions: 1 });
    const blocker = await engine.execute({ command: exec('sleep', ['30']) });
    const controller = new AbortController();
    const queued = await engine.execute({ command: exec('true'), signal: controller.signal });
    controller.abort();
    const result = await engine.waitForCompletion(queued);
    expect(result.status).toBe('cancelled');
    expect(result.pid).toBeUndefined();
    await engine.cancel(blocker);
  });

  test('one long-lived signal shared by many executions keeps no listener once they end', async () => {
    const engine = createEngine({ maxConcurrentExecutions: 20 });
    const { signal } = new AbortController();
    const ids = await Promise.all(
      Array.from({ length: 100 }, () => engine.execute({ command: exec('true'), signal })),
    );
    await Promise.all(ids.map((id) => engine.waitForCompletion(id)));
    expect(getEventListeners(signal, 'abort')).toHaveLength(0);
  });
});

// Every command had a timeout (5 min default, 1 h max): a dev server or a watcher could not run without one.
describe('no timeout: `timeoutMs: 0` with `maxTimeoutMs: Infinity`', () => {
  test('runs with no timer until it ends by itself', async () => {
    const engine = createEngine({ maxTimeoutMs: Number.POSITIVE_INFINITY, defaultTimeoutMs: 0 });
    const result = await engine.run({ command: shell('sleep 0.3; echo done') });
    expect(result).toMatchObject({ status: 'completed', stdout: 'done' });
    const explicit = await engine.run({ command: shell('echo ok'), timeoutMs: 0 });
    expect(explicit.status).toBe('completed');
  });

  test('a timeout beyond 2^31 - 1 ms is honoured, not turned into 1 ms', async () => {
    const engine = createEngine({ maxTimeoutMs: Number.POSITIVE_INFINITY });
    const result = await engine.run({ command: shell('sleep 0.2; echo done'), timeoutMs: 3_000_000_000 });
    expect(result.status).toBe('completed');
  });

  test('0 needs maxTimeoutMs: Infinity, for a request and for the default', async () => {
    const engine = createEngine();
    const error = await engine.execute({ command: exec('true'), timeoutMs: 0 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect((error as InvalidRequestError).field).toBe('timeoutMs');
    expect(() => createEngine({ defaultTimeoutMs: 0 })).toThrow(InvalidConfigError);
  });
});

// A per-request killSignal was silently ignored.
describe('per-request kill settings', () => {
  test('killSignal is the first signal the group gets', async () => {
    const engine = createEngine({ killSignal: 'SIGTERM' });
    const script =
      "process.on('SIGINT', () => { console.log('got SIGINT'); process.exit(0); }); console.log('ready'); setInterval(() => {}, 1000);";
    const ready = printed(engine, 'ready');
    const id = await engine.execute({
      command: exec(process.execPath, ['-e', script]),
      killSignal: 'SIGINT',
    });
    await ready;
    await engine.cancel(id);
    expect(engine.getResult(id)?.stdout).toBe('ready\ngot SIGINT');
  });

  test('killGraceMs is this execution’s grace before SIGKILL', async () => {
    const engine = createEngine({ killGraceMs: 20_000 });
    const ready = printed(engine, 'ready');
    const id = await engine.execute({
      command: exec(process.execPath, [fixture('ignore-sigterm.js')]),
      killGraceMs: 100,
    });
    await ready;
    const started = Date.now();
    await engine.cancel(id);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(liveGroupMembers(engine.getResult(id)!.pid!)).toEqual([]);
  });
});
