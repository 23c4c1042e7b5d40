import { afterEach, describe, expect, test } from 'vitest';
import { type ExecutionEvent, exec, shell } from '../../src/index.js';
import { createEngine, shutDownTrackedEngines } from '../helpers/tracked-engine.js';

afterEach(shutDownTrackedEngines);

const metadata = { user: 'alice', build: 42, tags: ['nightly'], nested: { ok: true } };

/** Events of one execution, in order. */
const eventsOf = (events: ExecutionEvent[], id: string) => events.filter((event) => event.executionId === id);

describe('metadata', () => {
  test('is on the running snapshot, the result and every event, including queued and output lines', async () => {
    const engine = createEngine({ maxConcurrentExecutions: 1 });
    const events: ExecutionEvent[] = [];
    const handled: ExecutionEvent[] = [];
    engine.on('event', (event) => events.push(event));
    engine.addEventHandler({ handleEvent: (event) => void handled.push(event) });

    const blocker = await engine.execute({ command: exec('sleep', ['0.3']) });
    const id = await engine.execute({ command: shell('echo out; echo err >&2'), metadata });
    expect(engine.getExecution(id)).toMatchObject({ status: 'queued', metadata });
    const result = await engine.waitForCompletion(id);
    await engine.waitForCompletion(blocker);

    expect(result.metadata).toEqual(metadata);
    expect(engine.getResult(id)?.metadata).toEqual(metadata);
    expect(engine.list().find((snapshot) => snapshot.id === id)?.metadata).toEqual(metadata);

    const own = eventsOf(events, id);
    expect(own.map((event) => event.type).sort()).toEqual(
      ['completed', 'queued', 'started', 'stderr', 'stdout'].sort(),
    );
    for (const event of own) expect(event.metadata).toEqual(metadata);
    expect(eventsOf(handled, id).map((event) => event.metadata)).toEqual(own.map(() => metadata));
  });

  test('is on the running snapshot while the process runs', async () => {
    const engine = createEngine();
    const started = new Promise<void>((resolve) => engine.once('started', () => resolve()));
    const id = await engine.execute({ command: exec('sleep', ['5']), metadata });
    await started;
    expect(engine.getExecution(id)).toMatchObject({ status: 'running', metadata });
  });

  test('is on the failed event and result of a spawn failure', async () => {
    const engine = createEngine();
    const failed = new Promise<ExecutionEvent>((resolve) => engine.once('failed', resolve));
    const id = await engine.execute({ command: exec('execution-engine-no-such-program'), metadata });
    expect((await engine.waitForCompletion(id)).metadata).toEqual(metadata);
    expect((await failed).metadata).toEqual(metadata);
  });

  test('is on the cancelled and timeout events', async () => {
    const engine = createEngine();
    const terminal: ExecutionEvent[] = [];
    engine.on('cancelled', (event) => terminal.push(event));
    engine.on('timeout', (event) => terminal.push(event));
    const cancelled = await engine.execute({ command: exec('sleep', ['5']), metadata: { which: 'cancel' } });
    const timedOut = await engine.execute({
      command: exec('sleep', ['5']),
      timeoutMs: 50,
      metadata: { which: 'timeout' },
    });
    await engine.cancel(cancelled);
    await engine.waitForCompletion(timedOut);
    expect(terminal.map((event) => [event.type, event.metadata]).sort()).toEqual([
      ['cancelled', { which: 'cancel' }],
      ['timeout', { which: 'timeout' }],
    ]);
  });

  test('an execution without metadata has none anywhere', async () => {
    const engine = createEngine();
    const events: ExecutionEvent[] = [];
    engine.on('event', (event) => events.push(event));
    const result = await engine.run({ command: shell('echo hi') });
    expect(result).not.toHaveProperty('metadata');
    expect(events.length).toBeGreaterThan(0);
    for (const event of events) expect(event).not.toHaveProperty('metadata');
  });

  test('a null-prototype object is accepted as metadata', async () => {
    const engine = createEngine();
    const bare = Object.assign(Object.create(null) as Record<string, unknown>, { k: 'v' });
    const result = await engine.run({ command: exec('true'), metadata: bare });
    expect(result.metadata?.k).toBe('v');
  });
});
