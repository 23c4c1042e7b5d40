import { describe, expect, test } from 'vitest';
import {
  CommandFailedError,
  type ExecutionEvent,
  ExecutionExpiredError,
  exec,
  isExecutionError,
} from '../../src/index.js';
import { createEngine } from '../helpers/engine.js';
import { rejectionOf } from '../helpers/tracked-engine.js';

describe('queueTimeoutMs', () => {
  test("an execution still queued after queueTimeoutMs ends 'failed' with EXPIRED and never starts", async () => {
    const engine = createEngine({ maxConcurrentExecutions: 1 });
    await engine.execute({ command: exec('sleep', ['30']) });
    const types: string[] = [];
    engine.on('event', (event: ExecutionEvent) => {
      if (event.executionId === 'late') types.push(event.type);
    });
    const t0 = Date.now();
    await engine.execute({ id: 'late', command: exec('true'), queueTimeoutMs: 300 });
    const result = await engine.waitForCompletion('late');
    const waited = Date.now() - t0;
    expect(waited).toBeGreaterThanOrEqual(290);
    expect(waited).toBeLessThan(2000);
    expect(result).toMatchObject({ status: 'failed', success: false, exitCode: null, durationMs: 0 });
    expect(result.error).toEqual({
      code: 'EXPIRED',
      message: 'Command expired: still queued after its queueTimeoutMs of 300 milliseconds: true',
    });
    expect(result.startedAt).toBeUndefined();
    expect(result.pid).toBeUndefined();
    expect(types).toEqual(['queued', 'failed']);
    expect(engine.stats()).toMatchObject({ queued: 0, running: 1, failed: 1 });
  });

  test('run() rejects with CommandFailedError whose cause is an ExecutionExpiredError', async () => {
    const engine = createEngine({ maxConcurrentExecutions: 1 });
    await engine.execute({ command: exec('sleep', ['30']) });
    const error = await rejectionOf(engine.run({ command: exec('echo', ['hi']), queueTimeoutMs: 50 }));
    expect(error).toBeInstanceOf(CommandFailedError);
    const failed = error as CommandFailedError;
    expect(failed.message).toBe(
      'Command expired: still queued after its queueTimeoutMs of 50 milliseconds: echo hi',
    );
    expect(failed.result.error?.code).toBe('EXPIRED');
    expect(failed.cause).toBeInstanceOf(ExecutionExpiredError);
    expect(failed.cause).toMatchObject({
      code: 'EXPIRED',
      queueTimeoutMs: 50,
      executionId: failed.result.id,
    });
    expect(isExecutionError(failed.cause)).toBe(true);
  });

  test('an execution that starts in time is not affected, nor is its run time limited', async () => {
    const engine = createEngine({ maxConcurrentExecutions: 1 });
    const blocker = await engine.execute({ command: exec('sleep', ['0.1']) });
    const result = await engine.run({ command: exec('sleep', ['0.4']), queueTimeoutMs: 1500 });
    expect(result).toMatchObject({ status: 'completed', success: true });
    expect(engine.getResult(blocker)?.status).toBe('completed');
  });

  test('queueTimeoutMs: 0 starts at once when a slot is free, else expires at once', async () => {
    const engine = createEngine({ maxConcurrentExecutions: 1 });
    const now = await engine.execute({ command: exec('sleep', ['30']), queueTimeoutMs: 0 });
    expect(engine.getStatus(now)).toBe('running');
    const result = await engine.waitForCompletion(
      await engine.execute({ command: exec('true'), queueTimeoutMs: 0 }),
    );
    expect(result.error?.code).toBe('EXPIRED');
  });

  test('cancelling an execution with a deadline ends it cancelled, and the deadline never fires', async () => {
    const engine = createEngine({ maxConcurrentExecutions: 1 });
    await engine.execute({ command: exec('sleep', ['30']) });
    const id = await engine.execute({ command: exec('true'), queueTimeoutMs: 100 });
    await engine.cancel(id);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(engine.getResult(id)).toMatchObject({ status: 'cancelled' });
    expect(engine.stats()).toMatchObject({ cancelled: 1, failed: 0 });
  });

  test('many executions expire on time through one timer, in deadline order', async () => {
    const engine = createEngine({ maxConcurrentExecutions: 1 });
    await engine.execute({ command: exec('sleep', ['30']) });
    const ended: string[] = [];
    engine.on('failed', (event) => ended.push(event.executionId));
    const ids = [];
    for (const wait of [400, 100, 250]) {
      ids.push(await engine.execute({ id: `wait-${wait}`, command: exec('true'), queueTimeoutMs: wait }));
    }
    const t0 = Date.now();
    await Promise.all(ids.map((id) => engine.waitForCompletion(id)));
    expect(ended).toEqual(['wait-100', 'wait-250', 'wait-400']);
    expect(Date.now() - t0).toBeLessThan(2000);
  });
});
