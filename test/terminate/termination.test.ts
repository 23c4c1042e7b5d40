import { describe, expect, test } from 'vitest';
import { exec, type StdoutEvent } from '../../src/index.js';
import { createEngine } from '../helpers/engine.js';
import { fixture } from '../helpers/fixtures.js';
import { isAlive, killGroup, liveGroupMembers } from '../helpers/processes.js';

/** Resolves with the first stdout line of `id` matching `pattern`. */
function firstLine(
  engine: ReturnType<typeof createEngine>,
  id: () => string,
  pattern: RegExp,
): Promise<string> {
  return new Promise((resolve) => {
    const listener = (event: StdoutEvent) => {
      if (event.executionId === id() && pattern.test(event.line)) {
        engine.off('stdout', listener);
        resolve(event.line);
      }
    };
    engine.on('stdout', listener);
  });
}

const grandchildPid = (line: string) => Number(line.split(' ')[1]);

describe('termination', () => {
  test('a timeout kills the grandchildren too', async () => {
    const engine = createEngine();
    let id = '';
    const line = firstLine(engine, () => id, /^grandchild/);
    id = await engine.execute({ command: exec(fixture('spawn-grandchild.sh'), ['30']), timeoutMs: 500 });
    const grandchild = grandchildPid(await line);
    const result = await engine.waitForCompletion(id);
    expect(result.status).toBe('timeout');
    expect(result.success).toBe(false);
    expect(liveGroupMembers(result.pid!)).toEqual([]);
    expect(isAlive(grandchild)).toBe(false);
  });

  test('cancel kills the grandchildren too and resolves true once cancelled', async () => {
    const engine = createEngine();
    let id = '';
    const line = firstLine(engine, () => id, /^grandchild/);
    id = await engine.execute({ command: exec(fixture('spawn-grandchild.sh'), ['30']) });
    const grandchild = grandchildPid(await line);
    await expect(engine.cancel(id, 'user asked')).resolves.toBe(true);
    const result = engine.getResult(id)!;
    expect(result.status).toBe('cancelled');
    expect(liveGroupMembers(result.pid!)).toEqual([]);
    expect(isAlive(grandchild)).toBe(false);
  });

  test('a child that ignores SIGTERM is killed with SIGKILL after killGraceMs', async () => {
    const engine = createEngine({ killGraceMs: 400 });
    let id = '';
    const ready = firstLine(engine, () => id, /^ready$/);
    id = await engine.execute({ command: exec(process.execPath, [fixture('ignore-sigterm.js')]) });
    await ready;
    const started = Date.now();
    await expect(engine.cancel(id)).resolves.toBe(true);
    const result = engine.getResult(id)!;
    expect(result.signal).toBe('SIGKILL');
    expect(Date.now() - started).toBeGreaterThanOrEqual(350);
    expect(liveGroupMembers(result.pid!)).toEqual([]);
  });

  test('a grandchild that ignores SIGTERM is killed too before the terminal status', async () => {
    const engine = createEngine({ killGraceMs: 300 });
    let id = '';
    const line = firstLine(engine, () => id, /^grandchild/);
    id = await engine.execute({ command: exec(fixture('grandchild-ignores-sigterm.sh')), timeoutMs: 1500 });
    const grandchild = grandchildPid(await line);
    const result = await engine.waitForCompletion(id);
    expect(result.status).toBe('timeout');
    expect(isAlive(grandchild)).toBe(false);
    expect(liveGroupMembers(result.pid!)).toEqual([]);
  });

  test('a grandchild holding the pipes does not hang an execution whose child exited', async () => {
    const engine = createEngine({ killGraceMs: 300 });
    const started = Date.now();
    const result = await engine.run({ command: exec(fixture('pipe-holding-grandchild.sh'), ['30']) });
    try {
      expect(result.status).toBe('completed');
      expect(result.exitCode).toBe(0);
      expect(result.stdout).toMatch(/^grandchild \d+$/);
      expect(Date.now() - started).toBeLessThan(5000);
      // Left running, as a deliberately backgrounded daemon expects.
      expect(isAlive(grandchildPid(result.stdout))).toBe(true);
    } finally {
      killGroup(result.pid!);
    }
  });

  // Regression: output still unread killGraceMs after the child's exit (a busy event loop) was dropped.
  test('output still unread when the child exits is read in full, however long that takes', async () => {
    const engine = createEngine({ killGraceMs: 100 });
    let lines = 0;
    engine.on('stdout', () => {
      lines++;
      const until = performance.now() + 0.05; // a slow consumer: about 1 s for all the lines
      while (performance.now() < until);
    });
    const result = await engine.run({
      command: exec(process.execPath, [fixture('print-lines.js'), '20000']),
    });
    expect(lines).toBe(20_000);
    expect(result.stdout.split('\n')).toHaveLength(20_000);
  });

  test('the timeout starts when the process starts, not while it is queued', async () => {
    const engine = createEngine({ maxConcurrentExecutions: 1 });
    await engine.execute({ command: exec('sleep', ['0.8']) });
    const second = await engine.execute({ command: exec('sleep', ['0.1']), timeoutMs: 600 });
    expect(engine.getStatus(second)).toBe('queued');
    const result = await engine.waitForCompletion(second);
    expect(result.status).toBe('completed');
    expect(result.startedAt!.getTime() - result.createdAt.getTime()).toBeGreaterThanOrEqual(600);
  });

  test('a process killed by a signal the engine did not send ends failed with KILLED_BY_SIGNAL', async () => {
    const engine = createEngine();
    const id = await engine.execute({
      command: exec(process.execPath, [fixture('kill-self.js'), 'SIGKILL']),
    });
    const result = await engine.waitForCompletion(id);
    expect(result.status).toBe('failed');
    expect(result.signal).toBe('SIGKILL');
    expect(result.error?.code).toBe('KILLED_BY_SIGNAL');
  });

  test('killSignal is the first signal sent', async () => {
    const engine = createEngine({ killSignal: 'SIGINT' });
    const id = await engine.execute({ command: exec('sleep', ['30']), timeoutMs: 200 });
    const result = await engine.waitForCompletion(id);
    expect(result.status).toBe('timeout');
    expect(result.signal).toBe('SIGINT');
  });

  test('a non-zero exit code completes without success', async () => {
    const engine = createEngine();
    const id = await engine.execute({ command: exec(process.execPath, [fixture('exit-with.js'), '3']) });
    const result = await engine.waitForCompletion(id);
    expect(result).toMatchObject({ status: 'completed', success: false, exitCode: 3, stderr: 'exiting 3' });
  });
});
