import { describe, expect, test } from 'vitest';
import {
  EngineShutDownError,
  ExecutionNotFoundError,
  exec,
  InvalidRequestError,
  shell,
  WaitTimeoutError,
} from '../src/index.js';
import { createEngine } from './helpers/engine.js';

describe('ExecutionEngine', () => {
  test('execute resolves with the id while the command is still running', async () => {
    const engine = createEngine();
    const id = await engine.execute({ command: exec('sleep', ['5']) });
    expect(engine.getStatus(id)).toBe('running');
    expect(engine.getResult(id)).toBeUndefined();
    const snapshot = engine.getExecution(id);
    expect(snapshot).toMatchObject({ id, status: 'running', command: { file: 'sleep', args: ['5'] } });
    expect(snapshot.pid).toBeGreaterThan(0);
    expect(snapshot.startedAt).toBeInstanceOf(Date);
  });

  test('a given id is used, and a duplicate among retained executions is refused', async () => {
    const engine = createEngine();
    await expect(engine.execute({ id: 'job-1', command: exec('true') })).resolves.toBe('job-1');
    await expect(engine.execute({ id: 'job-1', command: exec('true') })).rejects.toMatchObject({
      code: 'INVALID_REQUEST',
      field: 'id',
    });
  });

  test('run resolves with the result of a successful command', async () => {
    const engine = createEngine();
    const result = await engine.run({ command: shell('echo one; echo two; echo oops >&2') });
    expect(result).toMatchObject({ status: 'completed', success: true, exitCode: 0, signal: null });
    expect(result.stdout).toBe('one\ntwo');
    expect(result.stderr).toBe('oops');
    expect(result.durationMs).toBeGreaterThanOrEqual(0);
    expect(result.completedAt.getTime()).toBeGreaterThanOrEqual(result.startedAt!.getTime());
  });

  test('run rejects with CommandFailedError carrying the result for a non-zero exit', async () => {
    const engine = createEngine();
    const failure = engine.run({ command: shell('echo partial; exit 4') });
    await expect(failure).rejects.toMatchObject({
      name: 'CommandFailedError',
      code: 'COMMAND_FAILED',
      result: { status: 'completed', exitCode: 4, stdout: 'partial' },
    });
    await expect(failure).rejects.toThrow(/exit code 4: \/bin\/sh -c/);
  });

  test('run rejects for a timeout with a message naming the timeout and the command', async () => {
    const engine = createEngine();
    await expect(engine.run({ command: exec('sleep', ['5']), timeoutMs: 100 })).rejects.toThrow(
      'Command timed out after 100 milliseconds: sleep 5',
    );
  });

  test('a result reads the same through a spread, JSON and structuredClone (output is decoded on first read)', async () => {
    const engine = createEngine();
    const result = await engine.run({ command: shell("printf 'h\\303\\251llo\\r\\nw\\rx\\n'; echo e >&2") });
    expect(result.stdout).toBe('héllo\nw\nx');
    expect({ ...result }.stdout).toBe('héllo\nw\nx');
    expect(JSON.parse(JSON.stringify(result)).stderr).toBe('e');
    expect(structuredClone(result).stdout).toBe('héllo\nw\nx');
    expect(engine.getExecution(result.id)).toMatchObject({ stdout: 'héllo\nw\nx', stderr: 'e' });
  });

  test('waitForCompletion works for an execution that already finished', async () => {
    const engine = createEngine();
    const id = await engine.execute({ command: exec('true') });
    const first = await engine.waitForCompletion(id);
    await expect(engine.waitForCompletion(id)).resolves.toEqual(first);
  });

  test('waitForCompletion resolves for every terminal status', async () => {
    const engine = createEngine();
    const failed = await engine.execute({ command: exec('/nonexistent/program') });
    const timedOut = await engine.execute({ command: exec('sleep', ['5']), timeoutMs: 50 });
    await expect(engine.waitForCompletion(failed)).resolves.toMatchObject({ status: 'failed' });
    await expect(engine.waitForCompletion(timedOut)).resolves.toMatchObject({ status: 'timeout' });
  });

  test('waitForCompletion gives up after its own timeoutMs and the execution keeps running', async () => {
    const engine = createEngine();
    const id = await engine.execute({ command: exec('sleep', ['5']) });
    const wait = engine.waitForCompletion(id, { timeoutMs: 50 });
    await expect(wait).rejects.toBeInstanceOf(WaitTimeoutError);
    await expect(wait).rejects.toMatchObject({ code: 'WAIT_TIMEOUT', executionId: id });
    expect(engine.getStatus(id)).toBe('running');
  });

  test('waitForCompletion rejects with the abort reason of its signal', async () => {
    const engine = createEngine();
    const id = await engine.execute({ command: exec('sleep', ['5']) });
    const controller = new AbortController();
    const wait = engine.waitForCompletion(id, { signal: controller.signal });
    controller.abort(new Error('navigated away'));
    await expect(wait).rejects.toThrow('navigated away');
    await expect(engine.waitForCompletion(id, { signal: AbortSignal.abort('gone') })).rejects.toBe('gone');
    expect(engine.getStatus(id)).toBe('running');
  });

  test('unknown ids are reported with ExecutionNotFoundError', async () => {
    const engine = createEngine();
    expect(() => engine.getStatus('nope')).toThrow(ExecutionNotFoundError);
    expect(() => engine.getExecution('nope')).toThrow(ExecutionNotFoundError);
    expect(() => engine.getResult('nope')).toThrow(ExecutionNotFoundError);
    await expect(engine.waitForCompletion('nope')).rejects.toMatchObject({
      code: 'EXECUTION_NOT_FOUND',
      executionId: 'nope',
    });
    await expect(engine.cancel('nope')).rejects.toBeInstanceOf(ExecutionNotFoundError);
    expect(engine.removeExecution('nope')).toBe(false);
  });

  test('cancel of a finished execution resolves false', async () => {
    const engine = createEngine();
    const { id } = await engine.run({ command: exec('true') });
    await expect(engine.cancel(id)).resolves.toBe(false);
    expect(engine.getStatus(id)).toBe('completed');
  });

  test('list returns snapshots oldest first and filters by status', async () => {
    const engine = createEngine();
    const done = (await engine.run({ command: exec('true') })).id;
    const running = await engine.execute({ command: exec('sleep', ['5']) });
    expect(engine.list().map((s) => s.id)).toEqual([done, running]);
    expect(engine.list({ status: 'running' }).map((s) => s.id)).toEqual([running]);
    expect(engine.list({ status: ['completed', 'failed'] }).map((s) => s.id)).toEqual([done]);
  });

  test('removeExecution forgets terminal executions and refuses live ones', async () => {
    const engine = createEngine();
    const { id } = await engine.run({ command: exec('true') });
    const running = await engine.execute({ command: exec('sleep', ['5']) });
    expect(() => engine.removeExecution(running)).toThrow(InvalidRequestError);
    expect(engine.removeExecution(id)).toBe(true);
    expect(() => engine.getStatus(id)).toThrow(ExecutionNotFoundError);
    expect(engine.stats().retained).toBe(1);
  });

  test('stats counts live executions and totals since construction', async () => {
    const engine = createEngine({ maxConcurrentExecutions: 1 });
    await engine.run({ command: exec('true') });
    await engine
      .execute({ command: exec('/nonexistent/program') })
      .then((id) => engine.waitForCompletion(id));
    const running = await engine.execute({ command: exec('sleep', ['5']) });
    await engine.execute({ command: exec('true') });
    expect(engine.stats()).toEqual({
      queued: 1,
      running: 1,
      retained: 4,
      completed: 1,
      failed: 1,
      timeout: 0,
      cancelled: 0,
      groups: {},
      outputBytes: { stdout: 0, stderr: 0 },
    });
    await engine.cancel(running);
  });
});

describe('shutdown', () => {
  test('cancels queued executions, terminates running ones after the grace, and refuses new work', async () => {
    const engine = createEngine({ maxConcurrentExecutions: 1 });
    const running = await engine.execute({ command: exec('sleep', ['30']) });
    const queued = await engine.execute({ command: exec('true') });
    await engine.shutdown({ graceMs: 100 });
    expect(engine.getResult(running)).toMatchObject({ status: 'cancelled' });
    expect(engine.getResult(queued)).toMatchObject({ status: 'cancelled', durationMs: 0 });
    await expect(engine.execute({ command: exec('true') })).rejects.toBeInstanceOf(EngineShutDownError);
    await expect(engine.shutdown()).resolves.toBeUndefined();
  });

  test('the cancelled event of a shutdown carries the reason shutdown', async () => {
    const engine = createEngine();
    const reasons: (string | undefined)[] = [];
    engine.on('cancelled', (event) => reasons.push(event.reason));
    await engine.execute({ command: exec('sleep', ['30']) });
    await engine.shutdown({ graceMs: 0 });
    expect(reasons).toEqual(['shutdown']);
  });

  test('running executions may finish by themselves within the grace', async () => {
    const engine = createEngine();
    const id = await engine.execute({ command: exec('sleep', ['0.2']) });
    await engine.shutdown({ graceMs: 5000 });
    expect(engine.getResult(id)).toMatchObject({ status: 'completed', success: true });
  });

  test('with kill false running executions are left alone after the grace', async () => {
    const engine = createEngine();
    const id = await engine.execute({ command: exec('sleep', ['5']) });
    await engine.shutdown({ graceMs: 50, kill: false });
    expect(engine.getStatus(id)).toBe('running');
    await engine.cancel(id);
  });
});
