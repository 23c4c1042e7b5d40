import { afterEach, describe, expect, test } from 'vitest';
import {
  type EventHandler,
  type ExecutionEngine,
  type ExecutionEvent,
  exec,
  shell,
} from '../../src/index.js';
import { createEngine } from '../helpers/engine.js';
import { fixture } from '../helpers/fixtures.js';

/** A sink under test and what it has received so far (in the order it received it). */
export interface SinkUnderTest {
  sink: EventHandler;
  /** What it has received, once everything handed to it so far is handled. */
  received(): Promise<ExecutionEvent[]>;
}

const TERMINAL = new Set(['completed', 'failed', 'timeout', 'cancelled']);

/**
 * The contract of the `EventSink` port (the public `EventHandler`, added with
 * `engine.addEventHandler`): whatever the sink does with events (keep them, stream them over SSE
 * or IPC, count them), it gets every event of every execution, in `seq` order, with exactly one
 * terminal event last; a sink that fails or lags never breaks an execution or other sinks.
 */
export function eventSinkConformance(name: string, make: () => SinkUnderTest): void {
  describe(`EventSink conformance: ${name}`, () => {
    const made: SinkUnderTest[] = [];
    const attach = (engine: ExecutionEngine) => {
      const sink = make();
      made.push(sink);
      engine.addEventHandler(sink.sink);
      return sink;
    };
    afterEach(async () => {
      await Promise.all(made.splice(0).map((sink) => sink.received()));
    });

    test('gets every event of an execution, in seq order, one terminal event last', async () => {
      const engine = createEngine();
      const sink = attach(engine);
      const result = await engine.run({
        command: exec(process.execPath, [fixture('print-lines.js'), '500']),
      });
      const events = (await sink.received()).filter((event) => event.executionId === result.id);
      expect(events.map((event) => event.seq)).toEqual(events.map((_, i) => i + 1));
      expect(events.filter((event) => event.type === 'stdout')).toHaveLength(500);
      expect(events[0]?.type).toBe('started');
      expect(events.at(-1)?.type).toBe('completed');
      expect(events.filter((event) => TERMINAL.has(event.type))).toHaveLength(1);
    });

    test('events of concurrent executions each keep their own order', async () => {
      const engine = createEngine({ maxConcurrentExecutions: 4 });
      const sink = attach(engine);
      const ids = await Promise.all(
        Array.from({ length: 8 }, () =>
          engine.execute({ command: shell('for i in 1 2 3; do echo $i; done') }),
        ),
      );
      await Promise.all(ids.map((id) => engine.waitForCompletion(id)));
      for (const id of ids) {
        const events = (await sink.received()).filter((event) => event.executionId === id);
        expect(events.map((event) => event.seq)).toEqual(events.map((_, i) => i + 1));
        expect(TERMINAL.has(events.at(-1)?.type ?? '')).toBe(true);
      }
    });

    test('a failing sink beside it changes nothing for it or for the execution', async () => {
      const engine = createEngine();
      const errors: unknown[] = [];
      engine.on('handlerError', (error) => errors.push(error));
      engine.addEventHandler({
        handleEvent: () => {
          throw new Error('broken sink');
        },
      });
      const sink = attach(engine);
      const result = await engine.run({ command: shell('echo one; echo two') });
      expect(result.status).toBe('completed');
      const types = (await sink.received()).map((event) => event.type);
      expect(types).toEqual(['started', 'stdout', 'stdout', 'completed']);
      expect(errors.length).toBeGreaterThan(0);
    });
  });
}
