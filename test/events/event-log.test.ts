import { describe, expect, test } from 'vitest';
import { EventLog } from '../../src/events/event-log.js';
import type { ExecutionEvent, StderrEvent, StdoutEvent } from '../../src/events/event-types.js';
import { OutputBuffer } from '../../src/io/output-buffer.js';

type Stream = 'stdout' | 'stderr';

/**
 * An EventLog over two OutputBuffers, fed the way the engine feeds them: stored lines are
 * appended to the buffer and noted in the log; other events are kept whole.
 */
function harness(metadata?: Record<string, unknown>) {
  const buffers = { stdout: new OutputBuffer(), stderr: new OutputBuffer() };
  const stored = { stdout: 0, stderr: 0 };
  const log = new EventLog('exec-1', metadata, [buffers.stdout, buffers.stderr]);
  let seq = 0;
  const all: ExecutionEvent[] = [];
  const base = () => {
    const event = { executionId: 'exec-1', seq: ++seq, timestamp: 1000 + seq };
    return metadata === undefined ? event : { ...event, metadata };
  };
  return {
    log,
    buffers,
    all,
    get seq() {
      return seq;
    },
    /** A retained line. */
    line(stream: Stream, text: string, timestamp = 5000): ExecutionEvent {
      const event = { ...base(), type: stream, line: text, timestamp } as ExecutionEvent;
      const index = stored[stream]++;
      buffers[stream].append(Buffer.from(`${text}\n`));
      log.addLine(stream, event.seq, index, timestamp);
      all.push(event);
      return event;
    },
    /** A live-only line (past the limit). */
    liveLine(stream: Stream, text: string): ExecutionEvent {
      const event = { ...base(), type: stream, line: text } as StdoutEvent | StderrEvent;
      log.addLive(event);
      all.push(event);
      return event;
    },
    started(): ExecutionEvent {
      const event = {
        ...base(),
        type: 'started',
        pid: 42,
        command: { file: 'x', args: [] },
        attempt: 1,
      } as ExecutionEvent;
      log.addControl(event);
      all.push(event);
      return event;
    },
    completed(): ExecutionEvent {
      const event = { ...base(), type: 'completed' } as unknown as ExecutionEvent;
      log.addControl(event);
      all.push(event);
      return event;
    },
  };
}

const replayed = (log: EventLog, after = 0, until?: number) => [...log.replay(after, until)];

describe('EventLog replay', () => {
  test('rebuilds every event in seq order, line events from the stored output', () => {
    const h = harness({ job: 1 });
    h.started();
    h.line('stdout', 'a', 10);
    h.line('stdout', 'b', 10);
    h.line('stderr', 'x', 10);
    h.line('stdout', '', 11);
    h.line('stderr', 'y', 12);
    h.completed();
    expect(replayed(h.log)).toEqual(h.all);
  });

  test('lines of one stream within one millisecond and lines across milliseconds keep their own timestamps', () => {
    const h = harness();
    for (let i = 0; i < 50; i++) h.line('stdout', `line ${i}`, 100 + Math.floor(i / 7));
    expect(replayed(h.log).map((event) => event.timestamp)).toEqual(h.all.map((event) => event.timestamp));
    expect(replayed(h.log)).toEqual(h.all);
  });

  test('replay(after, until) gives exactly the events with after < seq <= until', () => {
    const h = harness();
    h.started();
    for (let i = 0; i < 6; i++) h.line(i % 3 === 2 ? 'stderr' : 'stdout', `l${i}`, 7 + (i >> 2));
    h.liveLine('stdout', 'live');
    h.line('stderr', 'last', 9);
    const last = h.seq;
    for (let after = 0; after <= last; after++) {
      for (let until = after; until <= last; until++) {
        const expected = h.all.filter((event) => event.seq > after && event.seq <= until);
        expect(replayed(h.log, after, until), `after ${after}, until ${until}`).toEqual(expected);
      }
    }
  });

  test('lines across many batches (more than 100 lines) replay exactly, also from the middle', () => {
    const h = harness();
    h.started();
    for (let i = 1; i <= 1050; i++) h.line(i % 5 === 0 ? 'stderr' : 'stdout', `line ${i}`, 1 + (i >> 6));
    h.completed();
    expect(replayed(h.log)).toEqual(h.all);
    expect(replayed(h.log, 555, 777)).toEqual(h.all.slice(555, 777));
  });

  test('long lines (more than 64 KB per batch) replay exactly', () => {
    const h = harness();
    const long = (i: number) => String(i).repeat(30_000);
    for (let i = 1; i <= 9; i++) h.line('stdout', long(i), 3);
    h.line('stdout', 'short', 3);
    expect(replayed(h.log)).toEqual(h.all);
    expect(replayed(h.log, 4, 6).map((event) => (event as { line: string }).line)).toEqual([
      long(5),
      long(6),
    ]);
  });

  test('a replay in progress stays right when the output is joined by text() meanwhile', () => {
    const h = harness();
    for (let i = 1; i <= 450; i++) h.line('stdout', `line ${i}`, 1);
    const replay = h.log.replay(0, 900);
    const seen: ExecutionEvent[] = [];
    for (let i = 0; i < 120; i++) seen.push(replay.next().value as ExecutionEvent);
    // A snapshot joins the stored batches into one string.
    expect(h.buffers.stdout.text().split('\n')).toHaveLength(450);
    for (let i = 451; i <= 900; i++) h.line('stdout', `line ${i}`, 2);
    for (const event of replay) seen.push(event);
    expect(seen).toEqual(h.all);
  });

  test('live-only events are kept in a ring of at most 1000, the most recent ones', () => {
    const h = harness();
    h.started();
    h.line('stdout', 'kept', 1);
    for (let i = 1; i <= 2600; i++) h.liveLine('stdout', `live ${i}`);
    const live = replayed(h.log).filter((event) => event.seq > 2);
    expect(live.length).toBeGreaterThanOrEqual(500);
    expect(live.length).toBeLessThanOrEqual(1000);
    // Contiguous up to the newest.
    expect(live.map((event) => event.seq)).toEqual(live.map((_, i) => h.seq - live.length + 1 + i));
    expect(replayed(h.log).slice(0, 2)).toEqual(h.all.slice(0, 2));
  });
});

describe('EventLog subscribe', () => {
  test('replays, then continues live, and ends after the terminal event', async () => {
    const h = harness();
    h.started();
    h.line('stdout', 'a', 1);
    const iterator = h.log.subscribe();
    const first = await iterator.next();
    const second = await iterator.next();
    const waiting = iterator.next();
    expect(h.log.hasSubscribers).toBe(true);
    h.line('stderr', 'b', 2);
    const third = await waiting;
    const fourth = iterator.next();
    h.completed();
    expect([first.value, second.value, third.value, (await fourth).value]).toEqual(h.all);
    expect(await iterator.next()).toEqual({ done: true, value: undefined });
    expect(h.log.hasSubscribers).toBe(false);
  });

  test('return() releases the subscription', async () => {
    const h = harness();
    h.started();
    const iterator = h.log.subscribe();
    await iterator.next();
    expect(h.log.hasSubscribers).toBe(true);
    await iterator.return();
    expect(h.log.hasSubscribers).toBe(false);
  });

  test('aborting while waiting rejects with the reason and releases the subscription', async () => {
    const h = harness();
    h.started();
    const controller = new AbortController();
    const iterator = h.log.subscribe(controller.signal);
    await iterator.next();
    const waiting = iterator.next();
    const reason = new Error('stop');
    controller.abort(reason);
    await expect(waiting).rejects.toBe(reason);
    expect(h.log.hasSubscribers).toBe(false);
  });

  // Regression: events added while a subscriber's consumer was busy (the terminal one included) woke no one.
  test('events added while the consumer handles one are still delivered, then it ends', async () => {
    const h = harness();
    h.started();
    const iterator = h.log.subscribe(AbortSignal.timeout(1000));
    const received = [(await iterator.next()).value];
    // The consumer is busy with `started` while the rest arrives.
    h.line('stdout', 'a', 1);
    h.completed();
    for (let next = await iterator.next(); !next.done; next = await iterator.next())
      received.push(next.value);
    expect(received).toEqual(h.all);
  });
});

describe('OutputBuffer', () => {
  test.each([
    [[], ''],
    [['partial'], 'partial'],
    [['a\n'], 'a'],
    [['a\n', 'partial'], 'a\npartial'],
    [['a\n\npar', 'tial'], 'a\n\npartial'],
    [['\npartial'], '\npartial'],
    [['a\r\n\rb\r'], 'a\n\nb'],
    [['a\r', '\nb'], 'a\nb'],
    [['a\r', '\r\nb'], 'a\n\nb'],
  ])('appends %j read as %j', (pieces, expected) => {
    const buffer = new OutputBuffer();
    for (const piece of pieces) buffer.append(Buffer.from(piece));
    expect(buffer.text()).toBe(expected);
    const read = buffer.reader();
    for (const [i, line] of (expected === '' ? [] : expected.split('\n')).entries())
      expect(read(i)).toBe(line);
  });

  test('text() is every line joined with \\n across pieces, before and after more appends', () => {
    const buffer = new OutputBuffer();
    const lines = Array.from({ length: 1234 }, (_, i) => `line ${i}`);
    for (const line of lines.slice(0, 700)) buffer.append(Buffer.from(`${line}\n`));
    expect(buffer.text()).toBe(lines.slice(0, 700).join('\n'));
    for (const line of lines.slice(700)) buffer.append(Buffer.from(`${line}\n`));
    expect(buffer.text()).toBe(lines.join('\n'));
    expect(buffer.text()).toBe(lines.join('\n'));
  });

  test('a reader reads any stored line, forward or back, across pieces, before and after text()', () => {
    const buffer = new OutputBuffer();
    const lines = Array.from({ length: 650 }, (_, i) => (i % 97 === 0 ? 'x'.repeat(70_000) : `line ${i}`));
    // Pieces cut anywhere, as reads from a pipe are: lines span pieces.
    const text = `${lines.join('\n')}\n`;
    const half = text.indexOf(lines[333]!);
    for (let at = 0; at < half; at += 4093)
      buffer.append(Buffer.from(text.slice(at, Math.min(at + 4093, half))));
    const read = buffer.reader();
    const other = buffer.reader();
    expect([0, 1, 99, 100, 101, 332, 5, 250].map(read)).toEqual(
      [0, 1, 99, 100, 101, 332, 5, 250].map((i) => lines[i]),
    );
    buffer.text();
    for (let at = half; at < text.length; at += 5003)
      buffer.append(Buffer.from(text.slice(at, Math.min(at + 5003, text.length))));
    const order = [251, 252, 333, 334, 649, 0, 400, 401, 97, 194];
    expect(order.map(read)).toEqual(order.map((i) => lines[i]));
    expect(lines.map((_, i) => other(i))).toEqual(lines);
  });
});
