import { describe, expect, test } from 'vitest';
import { type ExecutionEvent, exec, isTerminalEvent, shell } from '../../src/index.js';
import { createEngine } from '../helpers/engine.js';
import { fixture } from '../helpers/fixtures.js';

/** Collects every event per execution. */
function record(engine: ReturnType<typeof createEngine>): Map<string, ExecutionEvent[]> {
  const byId = new Map<string, ExecutionEvent[]>();
  engine.on('event', (event) => {
    const list = byId.get(event.executionId) ?? [];
    list.push(event);
    byId.set(event.executionId, list);
  });
  return byId;
}

describe('events', () => {
  test('seq counts from 1 without gaps and exactly one terminal event comes last', async () => {
    const engine = createEngine();
    const events = record(engine);
    const { id } = await engine.run({
      command: shell('echo a; sleep 0.1; echo b >&2; sleep 0.1; echo c'),
      metadata: { job: 7 },
    });
    const list = events.get(id)!;
    expect(list.map((e) => e.seq)).toEqual(list.map((_, i) => i + 1));
    expect(list.map((e) => e.type)).toEqual(['started', 'stdout', 'stderr', 'stdout', 'completed']);
    expect(list.filter(isTerminalEvent)).toHaveLength(1);
    for (const event of list) {
      expect(event.metadata).toEqual({ job: 7 });
      expect(event.timestamp).toBeGreaterThan(Date.now() - 60_000);
    }
  });

  test('typed listeners get the fields of their event type', async () => {
    const engine = createEngine();
    const seen: string[] = [];
    engine.on('started', (e) => seen.push(`started ${e.pid > 0} ${e.command.file}`));
    engine.on('stdout', (e) => seen.push(`stdout ${e.line}`));
    engine.on('completed', (e) => seen.push(`completed ${e.result.exitCode}`));
    engine.on('timeout', (e) => seen.push(`timeout ${e.timeoutMs}`));
    engine.on('failed', (e) => seen.push(`failed ${e.error.code}`));
    await engine.run({ command: exec('echo', ['hi']) });
    await engine
      .execute({ command: exec('sleep', ['5']), timeoutMs: 50 })
      .then((id) => engine.waitForCompletion(id));
    await engine.execute({ command: exec('/nonexistent/x') }).then((id) => engine.waitForCompletion(id));
    expect(seen).toEqual([
      'started true echo',
      'stdout hi',
      'completed 0',
      'started true sleep',
      'timeout 50',
      'failed SPAWN_FAILED',
    ]);
  });

  test('a throwing or rejecting handler is isolated and reported on handlerError', async () => {
    const engine = createEngine();
    const reported: string[] = [];
    engine.on('handlerError', (error, event) =>
      reported.push(`${(error as Error).message} on ${event.type}`),
    );
    engine.addEventHandler({
      handleEvent(event) {
        if (event.type === 'started') throw new Error('sync boom');
      },
    });
    engine.addEventHandler({
      async handleEvent(event) {
        if (event.type === 'stdout') throw new Error('async boom');
      },
    });
    const healthy: string[] = [];
    const remove = engine.addEventHandler({ handleEvent: (event) => void healthy.push(event.type) });
    const result = await engine.run({ command: exec('echo', ['x']) });
    expect(result.success).toBe(true);
    expect(healthy).toEqual(['started', 'stdout', 'completed']);
    await new Promise((resolve) => setImmediate(resolve));
    expect(reported.sort()).toEqual(['async boom on stdout', 'sync boom on started']);
    remove();
    await engine.run({ command: exec('true') });
    expect(healthy).toHaveLength(3);
  });

  test('a throwing listener never affects the execution', async () => {
    const engine = createEngine();
    const errors: unknown[] = [];
    engine.on('handlerError', (error) => errors.push(error));
    engine.on('stdout', () => {
      throw new Error('listener bug');
    });
    const result = await engine.run({ command: shell('echo 1; echo 2') });
    expect(result.stdout).toBe('1\n2');
    expect(errors).toHaveLength(2);
  });

  test('200 concurrent executions printing 1,000 lines each deliver every line exactly once and in order', async () => {
    const engine = createEngine({ maxConcurrentExecutions: 200 });
    const lines = new Map<string, string[]>();
    const terminalAfterLines: string[] = [];
    engine.on('event', (event) => {
      if (event.type === 'stdout') {
        const list = lines.get(event.executionId) ?? [];
        list.push(event.line);
        lines.set(event.executionId, list);
      } else if (isTerminalEvent(event)) {
        if ((lines.get(event.executionId)?.length ?? 0) === 1000) terminalAfterLines.push(event.executionId);
      }
    });
    const ids = await Promise.all(
      Array.from({ length: 200 }, () =>
        engine.execute({ command: exec(process.execPath, [fixture('print-lines.js'), '1000']) }),
      ),
    );
    const results = await Promise.all(ids.map((id) => engine.waitForCompletion(id, { timeoutMs: 120_000 })));
    const expected = Array.from({ length: 1000 }, (_, i) => `line ${i + 1}`);
    for (const result of results) {
      expect(result.status).toBe('completed');
      expect(lines.get(result.id)).toEqual(expected);
      expect(result.stdout).toBe(expected.join('\n'));
    }
    expect(terminalAfterLines).toHaveLength(200);
  }, 120_000);

  test('with streamOutput false no line events are emitted but output is collected', async () => {
    const engine = createEngine({ streamOutput: false });
    const events = record(engine);
    const result = await engine.run({ command: shell('echo a; echo b >&2') });
    expect(events.get(result.id)!.map((e) => `${e.seq}:${e.type}`)).toEqual(['1:started', '2:completed']);
    expect(result.stdout).toBe('a');
    expect(result.stderr).toBe('b');
  });

  test('getExecution shows output so far, including an unterminated line', async () => {
    const engine = createEngine();
    const id = await engine.execute({ command: shell("printf 'one\\ntw'; sleep 5") });
    await new Promise<void>((resolve) => {
      const check = () => (engine.getExecution(id).stdout === 'one\ntw' ? resolve() : setTimeout(check, 20));
      check();
    });
    expect(engine.getExecution(id).stdout).toBe('one\ntw');
    await engine.cancel(id);
    expect(engine.getResult(id)!.stdout).toBe('one\ntw');
  });
});
