import { describe, expect, test } from 'vitest';
import {
  type ExecutionEngine,
  type ExecutionEvent,
  ExecutionNotFoundError,
  exec,
  isTerminalEvent,
} from '../../src/index.js';
import { fixture, node } from '../helpers/fixtures.js';
import { describeEvent, drain, firstDifference, outputEngine, recordEvents } from '../helpers/output.js';

const printLines = (...args: string[]) => exec(node, [fixture('print-lines.js'), ...args]);

/** Resolves with the first `stdout` event of `id` whose line is `line`. */
function lineSeen(engine: ExecutionEngine, line: string): Promise<void> {
  return new Promise((resolve) => {
    engine.on('stdout', (event) => {
      if (event.line === line) resolve();
    });
  });
}

/**
 * Checks a subscription as it goes, without keeping a million events: seq must count 1, 2, 3...
 * and each stream must carry `line 1`, `line 2`, ... of print-lines.
 */
async function follow(events: AsyncIterable<ExecutionEvent>, keep = false) {
  const seen = { count: 0, gaps: 0, stdout: 0, stderr: 0, wrongLines: 0, last: '', kept: [] as string[] };
  for await (const event of events) {
    seen.count++;
    if (event.seq !== seen.count) seen.gaps++;
    if (event.type === 'stdout' || event.type === 'stderr') {
      seen[event.type]++;
      if (event.line !== `line ${seen[event.type]}`) seen.wrongLines++;
    }
    seen.last = event.type;
    if (keep) seen.kept.push(describeEvent(event));
  }
  return seen;
}

describe('subscribe', () => {
  test('replays every retained event with its original seq, then continues live and ends after the terminal event', async () => {
    const engine = outputEngine();
    const live = recordEvents(engine);
    const id = await engine.execute({ command: exec(node, [fixture('journal-ticker.js'), '8', '30', '0']) });
    await new Promise<void>((resolve) => {
      engine.on('stdout', (event) => {
        if (event.line === 'tick 3') resolve();
      });
    });
    const joinedAt = live.get(id)!.length;
    const received = await drain(engine.subscribe(id));
    const all = live.get(id)!;
    expect(received.map(describeEvent)).toEqual(all.map(describeEvent));
    expect(received).toEqual(all);
    // Some came from the replay, the rest live.
    expect(joinedAt).toBeGreaterThan(2);
    expect(received.length).toBeGreaterThan(joinedAt);
    expect(received.at(-1)?.type).toBe('completed');
  });

  test('a subscriber that joins after the end gets the full replay and ends', async () => {
    const engine = outputEngine();
    const live = recordEvents(engine);
    const result = await engine.run({ command: printLines('3000', 'both'), metadata: { job: 'replay' } });
    const received = await drain(engine.subscribe(result.id));
    expect(received).toEqual(live.get(result.id));
    expect(received.every((event) => event.metadata?.job === 'replay')).toBe(true);
  });

  test('an unknown id throws ExecutionNotFoundError synchronously', () => {
    const engine = outputEngine();
    expect(() => engine.subscribe('no-such-id')).toThrow(ExecutionNotFoundError);
  });

  test('a removed execution can no longer be subscribed to', async () => {
    const engine = outputEngine();
    const result = await engine.run({ command: printLines('3') });
    engine.removeExecution(result.id);
    expect(() => engine.subscribe(result.id)).toThrow(ExecutionNotFoundError);
  });

  test('break releases the subscription: the iterator is done and the execution runs on', async () => {
    const engine = outputEngine();
    const id = await engine.execute({ command: exec(node, [fixture('print-then-wait.js'), '10']) });
    await lineSeen(engine, 'line 10');
    const iterator = engine.subscribe(id)[Symbol.asyncIterator]();
    const received: ExecutionEvent[] = [];
    for await (const event of { [Symbol.asyncIterator]: () => iterator }) {
      received.push(event);
      break;
    }
    expect(received.map((event) => event.type)).toEqual(['started']);
    expect(await iterator.next()).toEqual({ done: true, value: undefined });
    expect(engine.getStatus(id)).toBe('running');
    expect(await engine.cancel(id)).toBe(true);
  });

  test('aborting before the loop starts throws the abort reason', async () => {
    const engine = outputEngine();
    const result = await engine.run({ command: printLines('3') });
    const reason = new Error('not interested');
    const controller = new AbortController();
    controller.abort(reason);
    await expect(drain(engine.subscribe(result.id, { signal: controller.signal }))).rejects.toBe(reason);
  });

  test('aborting during the replay throws the abort reason at the next step', async () => {
    const engine = outputEngine();
    const result = await engine.run({ command: printLines('100') });
    const reason = new Error('enough');
    const controller = new AbortController();
    const received: ExecutionEvent[] = [];
    const loop = async () => {
      for await (const event of engine.subscribe(result.id, { signal: controller.signal })) {
        received.push(event);
        controller.abort(reason);
      }
    };
    await expect(loop()).rejects.toBe(reason);
    expect(received.map((event) => event.type)).toEqual(['started']);
  });

  test('aborting while waiting for live events throws the abort reason', async () => {
    const engine = outputEngine();
    const id = await engine.execute({ command: exec(node, [fixture('print-then-wait.js'), '5']) });
    await lineSeen(engine, 'line 5');
    const reason = new Error('gone');
    const controller = new AbortController();
    let count = 0;
    const loop = async () => {
      for await (const event of engine.subscribe(id, { signal: controller.signal })) {
        count++;
        // Once the replay is done the subscriber waits for more: abort it then.
        if (event.type === 'stdout' && event.line === 'line 5')
          setTimeout(() => controller.abort(reason), 50);
      }
    };
    await expect(loop()).rejects.toBe(reason);
    expect(count).toBeGreaterThanOrEqual(6);
    expect(engine.getStatus(id)).toBe('running');
  });

  test('two concurrent subscribers get identical sequences', async () => {
    const engine = outputEngine();
    const id = await engine.execute({ command: printLines('5000', 'both') });
    const [a, b] = await Promise.all([drain(engine.subscribe(id)), drain(engine.subscribe(id))]);
    expect(a.length).toBe(2 + 10_000);
    expect(a.map(describeEvent)).toEqual(b.map(describeEvent));
  });

  test('subscribers joining at random moments see seq 1..N without gap or duplicate', {
    timeout: 30_000,
  }, async () => {
    const count = 100_000;
    const engine = outputEngine();
    const live: string[] = [];
    engine.on('event', (event) => live.push(describeEvent(event)));
    const id = await engine.execute({ command: printLines(String(count), 'both') });
    const delays = Array.from({ length: 4 }, () => Math.floor(Math.random() * 200));
    const joinLines = new Set<number>();
    while (joinLines.size < 3) joinLines.add(1 + Math.floor(Math.random() * count));
    const subscribers: Promise<Awaited<ReturnType<typeof follow>>>[] = delays.map(
      (delay, i) =>
        new Promise((resolve, reject) => {
          setTimeout(() => follow(engine.subscribe(id), i === 0).then(resolve, reject), delay);
        }),
    );
    const pending = new Set(joinLines);
    engine.on('stdout', (event) => {
      const n = Number(event.line.slice(5));
      if (!pending.delete(n)) return;
      // Joins synchronously, in the middle of a chunk's lines.
      subscribers.push(follow(engine.subscribe(id), pending.size === 0));
    });
    await engine.waitForCompletion(id);
    const results = await Promise.all(subscribers);
    const context = `joined after ${delays.join(', ')} ms and at lines ${[...joinLines].join(', ')}`;
    expect(results).toHaveLength(7);
    for (const seen of results) {
      expect({ ...seen, kept: seen.kept.length > 0 }, context).toMatchObject({
        count: 2 + 2 * count,
        gaps: 0,
        wrongLines: 0,
        stdout: count,
        stderr: count,
        last: 'completed',
      });
    }
    // The replay carries the seq numbers (and lines) live listeners saw.
    const kept = results.filter((seen) => seen.kept.length > 0);
    expect(kept).toHaveLength(2);
    for (const seen of kept) expect(firstDifference(seen.kept, live), context).toBe(-1);
  });

  // A subscriber whose loop awaits something slower than a microtask replays up to the last seq it
  // saw when it began; events that arrive meanwhile, the terminal one included, wake nobody, so it
  // waited for a next event that never comes (src/events/event-log.ts subscribe).
  test('a subscriber that awaits between events still ends after the terminal event', async () => {
    const engine = outputEngine();
    const live = recordEvents(engine);
    const id = await engine.execute({ command: printLines('10') });
    const received: ExecutionEvent[] = [];
    // The guard turns a hang into a failure.
    for await (const event of engine.subscribe(id, { signal: AbortSignal.timeout(1500) })) {
      received.push(event);
      if (received.length === 1) await engine.waitForCompletion(id);
    }
    expect(received).toEqual(live.get(id));
  });

  describe('past the output limit (truncateWithWarning)', () => {
    // Past the limit line events are live-only: kept for subscribers in a bounded ring only. A
    // chunk's lines are emitted at once, so even a prompt subscriber may skip some of them and a
    // lagging one skips more; what every subscriber must get is each retained event, seq strictly
    // increasing, and the terminal event.
    const limit = 10_000;
    const command = printLines('20000', 'both');

    /**
     * Checks that a stream's first line events are its retained lines: the stored ones, the last
     * possibly cut at the limit (replayed cut, or whole while the ring still holds its live event).
     */
    function expectRetained(events: readonly ExecutionEvent[], stream: 'stdout' | 'stderr', text: string) {
      const stored = text === '' ? [] : text.split('\n');
      const lines = events.flatMap((event) => (event.type === stream ? [event.line] : []));
      if (stored.length === 0) return;
      expect(lines.slice(0, stored.length - 1)).toEqual(stored.slice(0, -1));
      expect(lines[stored.length - 1]?.startsWith(stored.at(-1)!)).toBe(true);
    }

    function expectWellFormed(events: readonly ExecutionEvent[], result: { stdout: string; stderr: string }) {
      const seqs = events.map((event) => event.seq);
      expect(seqs.every((seq, i) => i === 0 || seq > seqs[i - 1]!)).toBe(true);
      expect(events.filter(isTerminalEvent)).toHaveLength(1);
      expect(events.at(-1)?.type).toBe('completed');
      expect(events.filter((event) => event.type === 'outputTruncated')).toHaveLength(1);
      expectRetained(events, 'stdout', result.stdout);
      expectRetained(events, 'stderr', result.stderr);
    }

    test('a subscriber that keeps up and one that joins after the end get every retained event and end', async () => {
      const engine = outputEngine({ maxOutputSizeBytes: limit });
      const id = await engine.execute({ command });
      const early = drain(engine.subscribe(id));
      const result = await engine.waitForCompletion(id);
      expect(result.stdoutTruncated || result.stderrTruncated).toBe(true);
      const during = await early;
      const late = await drain(engine.subscribe(id));
      expectWellFormed(during, result);
      expectWellFormed(late, result);
      // The retained events carry the same seq and type for both.
      const kind = (event: ExecutionEvent) => `${event.seq} ${event.type}`;
      const duringBySeq = new Map(during.map((event) => [event.seq, kind(event)]));
      const lateRetained = late.filter(
        (event) => (event.type !== 'stdout' && event.type !== 'stderr') || duringBySeq.has(event.seq),
      );
      expect(lateRetained.map((event) => duringBySeq.get(event.seq))).toEqual(lateRetained.map(kind));
    });

    // Regression: a lagging subscriber hangs after the end (see the test above without a limit).
    test('a subscriber that lags gets every retained event and ends', async () => {
      const engine = outputEngine({ maxOutputSizeBytes: limit });
      const id = await engine.execute({ command });
      const received: ExecutionEvent[] = [];
      for await (const event of engine.subscribe(id, { signal: AbortSignal.timeout(1500) })) {
        received.push(event);
        // Lags behind the whole run.
        if (received.length === 1) await engine.waitForCompletion(id);
      }
      expectWellFormed(received, engine.getResult(id)!);
    });

    // Regression: the ring of live-only events outlived the run, so a replay after the end held lines never retained.
    test('after the end the replay holds only retained lines, whoever subscribed during the run', async () => {
      const engine = outputEngine({ maxOutputSizeBytes: limit });
      const id = await engine.execute({ command });
      await drain(engine.subscribe(id));
      const result = await engine.waitForCompletion(id);
      const late = await drain(engine.subscribe(id));
      const lines = late.filter((event) => event.type === 'stdout' || event.type === 'stderr');
      const stored = [result.stdout, result.stderr]
        .filter((text) => text !== '')
        .join('\n')
        .split('\n');
      expect(lines.length).toBe(stored.length);
    });
  });
});

describe('subscribe afterSeq', () => {
  test('replays only events after afterSeq, also from inside a batch, and ends at once after the end', async () => {
    const engine = outputEngine();
    const id = await engine.execute({ command: printLines('50') });
    await engine.waitForCompletion(id);
    const all: ExecutionEvent[] = [];
    for await (const event of engine.subscribe(id)) all.push(event);
    const cut = all[10]!.seq;
    const rest: string[] = [];
    for await (const event of engine.subscribe(id, { lines: 'batched', afterSeq: cut })) {
      rest.push(event.type === 'output' ? event.lines.join(',') : event.type);
    }
    const expectedRest = all.filter((e) => e.seq > cut).map((e) => (e.type === 'stdout' ? e.line : e.type));
    expect(rest.join(',')).toBe(expectedRest.join(','));
    const after: unknown[] = [];
    for await (const event of engine.subscribe(id, { afterSeq: all.at(-1)!.seq })) after.push(event);
    expect(after).toEqual([]);
    expect(() => engine.subscribe(id, { afterSeq: -1 })).toThrow(/`afterSeq` to be a non-negative integer/);
  });
});

describe('a subscriber that keeps up', () => {
  test('takes the lines of each read as they were split, the same arrays the output event carries', async () => {
    const engine = outputEngine({ streamOutput: true });
    const emitted: string[][] = [];
    engine.on('output', (event) => emitted.push(event.lines));
    const id = await engine.execute({ command: exec('cat'), stdin: 'pipe' });
    const received: string[][] = [];
    let wake: (() => void) | undefined;
    const following = (async () => {
      for await (const event of engine.subscribe(id, { lines: 'batched' })) {
        if (event.type === 'output') {
          received.push(event.lines);
          wake?.();
        }
      }
    })();
    const delivered = (count: number) =>
      new Promise<void>((resolve) => {
        wake = () => received.length >= count && resolve();
        wake();
      });
    await engine.writeInput(id, 'one\ntwo\n');
    await delivered(1);
    await engine.writeInput(id, 'three\r\nfour\n');
    await delivered(2);
    await engine.closeInput(id);
    await following;
    expect(received.flat()).toEqual(['one', 'two', 'three', 'four']);
    expect(received).toHaveLength(emitted.length);
    // Not decoded again from the stored bytes: the very arrays the engine emitted.
    for (const [i, lines] of received.entries()) expect(lines).toBe(emitted[i]);
    // A subscriber joining afterwards reads the same lines from the stored output.
    const late: string[] = [];
    for await (const event of engine.subscribe(id, { lines: 'batched' })) {
      if (event.type === 'output') late.push(...event.lines);
    }
    expect(late).toEqual(received.flat());
  });
});

describe('a subscriber reading the stored bytes while output arrives', () => {
  test('a \\r\\n split across two reads is one line break', async () => {
    const engine = outputEngine({ streamOutput: true });
    // A per-line listener: lines are noted one by one, so the subscriber reads them from the bytes.
    engine.on('stdout', () => {});
    const id = await engine.execute({ command: exec('cat'), stdin: 'pipe' });
    const lines: string[] = [];
    let wake: (() => void) | undefined;
    const following = (async () => {
      for await (const event of engine.subscribe(id)) {
        if (event.type === 'stdout') {
          lines.push(event.line);
          wake?.();
        }
      }
    })();
    const seen = (count: number) =>
      new Promise<void>((resolve) => {
        wake = () => lines.length >= count && resolve();
        wake();
      });
    await engine.writeInput(id, 'a\r');
    await seen(1);
    await engine.writeInput(id, '\nb\n');
    await seen(2);
    await engine.writeInput(id, 'c\nd\n');
    await seen(4);
    await engine.closeInput(id);
    await following;
    expect(lines).toEqual(['a', 'b', 'c', 'd']);
    expect(engine.getResult(id)?.stdout).toBe('a\nb\nc\nd');
  });
});
