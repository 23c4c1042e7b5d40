import { EventEmitter } from 'eventemitter3';
import { describe, expect, test, vi } from 'vitest';
import { StreamLines } from '../../src/capture/stream-lines.js';
import { EventBus } from '../../src/events/event-bus.js';
import {
  type BatchedEvent,
  type BatchedEventHandler,
  type EngineEvents,
  type ExecutionEvent,
  exec,
  InvalidRequestError,
  isTerminalEvent,
  type OutputEvent,
} from '../../src/index.js';
import type { ExecutionRecord } from '../../src/state/execution-record.js';
import { fixture, node } from '../helpers/fixtures.js';
import { outputEngine } from '../helpers/output.js';

const printLines = (...args: string[]) => exec(node, [fixture('print-lines.js'), ...args]);

/** Checks that batches of one stream carry `line 1`, `line 2`, ... with contiguous seq. */
function checkBatches(batches: readonly OutputEvent[], stream: 'stdout' | 'stderr' = 'stdout') {
  const lines: string[] = [];
  let nextSeq = -1;
  let gaps = 0;
  for (const batch of batches) {
    if (batch.stream !== stream) continue;
    if (nextSeq !== -1 && batch.seq !== nextSeq) gaps++;
    expect(batch.lines.length).toBeGreaterThan(0);
    nextSeq = batch.seq + batch.lines.length;
    lines.push(...batch.lines);
  }
  return { lines, gaps, wrong: lines.filter((line, i) => line !== `line ${i + 1}`).length };
}

/** Runs through a subscription, returning its events (batched ones as they come). */
async function drainBatched(events: AsyncIterable<BatchedEvent>): Promise<BatchedEvent[]> {
  const all: BatchedEvent[] = [];
  for await (const event of events) all.push(event);
  return all;
}

/** Every line number a list of (batched or per-line) events covers, in order. */
function seqs(events: readonly (ExecutionEvent | BatchedEvent)[]): number[] {
  const all: number[] = [];
  for (const event of events) {
    if (event.type === 'output') for (let i = 0; i < event.lines.length; i++) all.push(event.seq + i);
    else all.push(event.seq);
  }
  return all;
}

describe('output batches', () => {
  test("on('output') gets every line of 10,000 in order, with contiguous seq, in fewer events than lines", async () => {
    const engine = outputEngine();
    const batches: OutputEvent[] = [];
    engine.on('output', (event) => batches.push(event));
    const result = await engine.run({ command: printLines('10000'), metadata: { job: 1 } });
    const { lines, gaps, wrong } = checkBatches(batches);
    expect(lines).toHaveLength(10_000);
    expect(gaps).toBe(0);
    expect(wrong).toBe(0);
    expect(batches.length).toBeLessThan(10_000);
    // Line numbers are those of the per-line view: `started` is 1, the first line 2.
    expect(batches[0]?.seq).toBe(2);
    expect(batches.every((batch) => batch.executionId === result.id)).toBe(true);
    expect(batches[0]?.metadata).toEqual({ job: 1 });
    expect(lines.join('\n')).toBe(result.stdout);
  });

  test('a batched handler gets output events and no line events; an each handler the same seq per line', async () => {
    const engine = outputEngine();
    const batched: BatchedEvent[] = [];
    const each: ExecutionEvent[] = [];
    engine.addEventHandler({ handleEvent: (event) => void batched.push(event) }, { lines: 'batched' });
    engine.addEventHandler({ handleEvent: (event) => void each.push(event) });
    await engine.run({ command: printLines('3000', 'both') });
    expect(
      batched.some((event) => (event.type as string) === 'stdout' || (event.type as string) === 'stderr'),
    ).toBe(false);
    expect(each.some((event) => (event.type as string) === 'output')).toBe(false);
    const outputs = batched.filter((event): event is OutputEvent => event.type === 'output');
    expect(outputs.length).toBeGreaterThan(0);
    // Both views carry the same numbers: every seq once, in order, the terminal one last.
    expect(seqs(batched)).toEqual(seqs(each));
    expect(seqs(each)).toEqual(each.map((_, i) => i + 1));
    expect(batched.at(-1)?.type).toBe('completed');
    for (const stream of ['stdout', 'stderr'] as const) {
      const lineSeqs = each.filter((e) => e.type === stream).map((e) => e.seq);
      const batchSeqs = seqs(outputs.filter((e) => e.stream === stream));
      expect(batchSeqs).toEqual(lineSeqs);
      const { lines, wrong } = checkBatches(outputs, stream);
      expect(lines).toHaveLength(3000);
      expect(wrong).toBe(0);
    }
  });

  test("the 'event' catch-all never sees output events", async () => {
    const engine = outputEngine();
    const types = new Set<string>();
    let outputs = 0;
    engine.on('event', (event) => types.add(event.type));
    engine.on('output', () => outputs++);
    await engine.run({ command: printLines('500') });
    expect(outputs).toBeGreaterThan(0);
    expect(types.has('output')).toBe(false);
    expect(types.has('stdout')).toBe(true);
  });

  test('subscribe batched to a finished execution replays every line and ends after the terminal event', async () => {
    const engine = outputEngine();
    const result = await engine.run({ command: printLines('20000') });
    const events = await drainBatched(engine.subscribe(result.id, { lines: 'batched' }));
    expect(events.at(-1)?.type).toBe('completed');
    expect(events.filter((event) => event.type !== 'output' && isTerminalEvent(event))).toHaveLength(1);
    const outputs = events.filter((event): event is OutputEvent => event.type === 'output');
    expect(outputs.length).toBeLessThan(20_000);
    expect(outputs.flatMap((event) => event.lines).join('\n')).toBe(result.stdout);
    expect(seqs(events)).toEqual(seqs(events).map((_, i) => i + 1));
  });

  test('a late batched subscriber while running gets no gap and no duplicate between replay and live', async () => {
    const engine = outputEngine();
    const id = await engine.execute({ command: exec(node, [fixture('journal-ticker.js'), '12', '25', '0']) });
    await new Promise<void>((resolve) => {
      engine.on('stdout', (event) => {
        if (event.executionId === id && event.line === 'tick 4') resolve();
      });
    });
    const events = await drainBatched(engine.subscribe(id, { lines: 'batched' }));
    const all = seqs(events);
    expect(all).toEqual(all.map((_, i) => i + 1));
    expect(events.at(-1)?.type).toBe('completed');
    const result = await engine.waitForCompletion(id);
    const lines = events.flatMap((event) =>
      event.type === 'output' && event.stream === 'stdout' ? event.lines : [],
    );
    expect(lines.join('\n')).toBe(result.stdout);
  });

  test('a late batched subscriber to a flood gets every line once, in order', async () => {
    const engine = outputEngine();
    const id = await engine.execute({ command: printLines('200000') });
    const events = await drainBatched(engine.subscribe(id, { lines: 'batched' }));
    const result = await engine.waitForCompletion(id);
    const all = seqs(events);
    expect(all.length).toBe(all.at(-1));
    expect(all.every((seq, i) => seq === i + 1)).toBe(true);
    const { lines, gaps, wrong } = checkBatches(events.filter((e): e is OutputEvent => e.type === 'output'));
    expect(lines).toHaveLength(200_000);
    expect(gaps).toBe(0);
    expect(wrong).toBe(0);
    expect(lines.join('\n')).toBe(result.stdout);
  });

  test('lines past the output limit reach batched consumers too', async () => {
    const engine = outputEngine({ maxOutputSizeBytes: 1000, oversizedOutputStrategy: 'truncateWithWarning' });
    const batches: OutputEvent[] = [];
    const perLine: number[] = [];
    let truncatedSeq = 0;
    engine.on('outputTruncated', (event) => {
      truncatedSeq = event.seq;
    });
    engine.on('output', (event) => batches.push(event));
    engine.addEventHandler({
      handleEvent: (event) => void (event.type === 'stdout' && perLine.push(event.seq)),
    });
    const result = await engine.run({ command: printLines('2000') });
    expect(result.stdoutTruncated).toBe(true);
    const { lines, gaps, wrong } = checkBatches(batches);
    expect(lines).toHaveLength(2000);
    expect(gaps).toBeLessThanOrEqual(1); // the outputTruncated event's seq, if it came mid-chunk
    expect(wrong).toBe(0);
    expect(seqs(batches)).toEqual(perLine);
    const all = seqs(batches);
    expect([...all, truncatedSeq].sort((a, b) => a - b)).toEqual(
      all.map((_, i) => i + 2).concat(all.length + 2),
    );
  });

  test('a batched subscriber gets the live-only lines past the limit, batched, without gaps', async () => {
    const engine = outputEngine({ maxOutputSizeBytes: 1000, oversizedOutputStrategy: 'truncateWithWarning' });
    const id = await engine.execute({ command: printLines('900') });
    const events = await drainBatched(engine.subscribe(id, { lines: 'batched' }));
    const all = seqs(events);
    expect(all).toEqual(all.map((_, i) => i + 1));
    expect(events.some((event) => event.type === 'outputTruncated')).toBe(true);
    const { lines, wrong } = checkBatches(events.filter((e): e is OutputEvent => e.type === 'output'));
    expect(lines).toHaveLength(900);
    expect(wrong).toBe(0);
    expect(events.filter((event) => event.type === 'output').length).toBeLessThan(900);
  });

  test('an invalid lines option is refused', () => {
    const engine = outputEngine();
    const handler = { handleEvent: () => {} };
    expect(() => engine.addEventHandler(handler, { lines: 'all' } as never)).toThrow(InvalidRequestError);
  });
});

describe('output batches without per-line consumers', () => {
  test('the bus wants line events only for each consumers', () => {
    const emitter = new EventEmitter<EngineEvents>();
    const bus = new EventBus(emitter);
    expect(bus.wants('stdout')).toBe(false);
    expect(bus.wantsBatches()).toBe(false);
    const removeBatched = bus.addHandler({ handleEvent: () => {} }, true);
    emitter.on('output', () => {});
    expect(bus.wants('stdout')).toBe(false);
    expect(bus.wants('stderr')).toBe(false);
    expect(bus.wants('completed')).toBe(true);
    expect(bus.wantsBatches()).toBe(true);
    const removeEach = bus.addHandler({ handleEvent: () => {} });
    expect(bus.wants('stdout')).toBe(true);
    removeEach();
    expect(bus.wants('stdout')).toBe(false);
    removeBatched();
    emitter.removeAllListeners('output');
    expect(bus.wantsBatches()).toBe(false);
  });

  test('a chunk gives one batch right away and no line event objects; the unterminated last line is its own batch', () => {
    const bus = new EventBus(new EventEmitter<EngineEvents>());
    const batches: OutputEvent[] = [];
    const batched: BatchedEventHandler = {
      handleEvent: (event) => void (event.type === 'output' && batches.push(event)),
    };
    bus.addHandler(batched, true);
    const emit = vi.spyOn(bus, 'emit');
    const addLine = vi.fn();
    const addLines = vi.fn();
    const record = {
      id: 'x',
      seq: 1,
      metadata: undefined,
      stdout: { buffer: { append: () => {}, seal: () => {} } },
      log: { addLine, addLines, addLive: vi.fn(), hasSubscribers: false },
    } as unknown as ExecutionRecord;
    const lines = new StreamLines(record, 'stdout', bus, true);
    lines.push(Buffer.from('a\nb\nc'), 5);
    expect(batches).toEqual([
      { type: 'output', executionId: 'x', seq: 2, timestamp: 5, stream: 'stdout', lines: ['a', 'b'] },
    ]);
    lines.push(Buffer.from('c\r\nd\n'), 6);
    expect(batches.map((batch) => [batch.seq, batch.lines])).toEqual([
      [2, ['a', 'b']],
      [4, ['cc', 'd']],
    ]);
    lines.push(Buffer.from('e'), 7);
    expect(batches).toHaveLength(2);
    lines.end(true);
    expect(batches.map((batch) => [batch.seq, batch.lines])).toEqual([
      [2, ['a', 'b']],
      [4, ['cc', 'd']],
      [6, ['e']],
    ]);
    expect(emit).not.toHaveBeenCalled();
    // The replay index is noted once per read (seq, count, first stored line), not once per line.
    expect(addLine).not.toHaveBeenCalled();
    // The read's lines go along, for subscribers that keep up.
    expect(addLines.mock.calls).toEqual([
      ['stdout', 2, 2, 0, 5, ['a', 'b']],
      ['stdout', 4, 2, 2, 6, ['cc', 'd']],
      ['stdout', 6, 1, 4, expect.any(Number), ['e']],
    ]);
  });
});
