import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, test } from 'vitest';
import {
  type Command,
  CommandFailedError,
  type ExecutionConfig,
  type ExecutionEngine,
  type ExecutionEvent,
  type ExecutionResult,
  exec,
  OutputSizeExceededError,
  type OversizedOutputStrategy,
  shell,
} from '../../src/index.js';
import { fixture, node } from '../helpers/fixtures.js';
import {
  chunk,
  drain,
  isOpenHere,
  largeOutput,
  linesOf,
  outputEngine,
  printedText,
  recordEvents,
  rejoins,
  rejoinsBytes,
  storedPrefix,
  tempDir,
} from '../helpers/output.js';
import { eventually, isAlive, liveGroupMembers } from '../helpers/processes.js';

type Stream = 'stdout' | 'stderr';
const other = (stream: Stream): Stream => (stream === 'stdout' ? 'stderr' : 'stdout');
const bytes = (text: string) => Buffer.byteLength(text);

const printLines = (...args: string[]): Command => exec(node, [fixture('print-lines.js'), ...args]);
const writeChunks = (...chunks: string[]): Command =>
  exec(node, [fixture('write-chunks.js'), '30', ...chunks]);

/** Runs a command to its end with the given output limit; returns its result and every event it emitted. */
async function runLimited(
  command: Command,
  maxOutputSizeBytes: number,
  oversizedOutputStrategy: OversizedOutputStrategy,
  config: Partial<ExecutionConfig> = {},
): Promise<{ engine: ExecutionEngine; result: ExecutionResult; events: ExecutionEvent[] }> {
  const engine = outputEngine({ maxOutputSizeBytes, oversizedOutputStrategy, ...config });
  const recorded = recordEvents(engine);
  const id = await engine.execute({ command });
  const result = await engine.waitForCompletion(id);
  return { engine, result, events: recorded.get(id) ?? [] };
}

/** The stored lines of a stream's text (`''` is no line at all). */
const storedLines = (text: string): string[] => (text === '' ? [] : text.split('\n'));

const linesOn = (events: readonly ExecutionEvent[], stream: Stream): string[] =>
  events.flatMap((event) => (event.type === stream ? [event.line] : []));

/**
 * 2000 lines of `print-lines.js`: a 1000-byte limit cuts `line 124` after its `l`, a 1026-byte
 * limit falls right after `line 126\n`.
 */
const TEXT = printedText(2000);
const MID_LINE = 1000;
const AFTER_BREAK = printedText(126).length;

describe('truncateWithWarning', () => {
  test.each([
    ['stdout', MID_LINE],
    ['stderr', MID_LINE],
    ['stdout', AFTER_BREAK],
    ['stderr', AFTER_BREAK],
  ] as const)(
    'keeps the first bytes of %s up to a %d-byte limit and lets the process run on',
    async (stream, limit) => {
      const { engine, result, events } = await runLimited(
        printLines('2000', stream),
        limit,
        'truncateWithWarning',
      );
      expect(result[stream]).toBe(storedPrefix(TEXT, limit));
      expect(result[other(stream)]).toBe('');
      expect(result[`${stream}Truncated`]).toBe(true);
      expect(result[`${other(stream)}Truncated`]).toBe(false);
      expect(result).toMatchObject({ status: 'completed', exitCode: 0, success: true });
      expect(events.filter((event) => event.type === 'outputTruncated')).toEqual([
        expect.objectContaining({ limitBytes: limit, strategy: 'truncateWithWarning' }),
      ]);
      // Line events continue live past the limit...
      expect(linesOn(events, stream)).toEqual(linesOf(TEXT));
      // ...but only the retained ones are replayed, the crossing line as it was kept.
      const replay = await drain(engine.subscribe(result.id));
      expect(linesOn(replay, stream)).toEqual(storedLines(result[stream]));
      expect(replay.map((event) => event.type)).toContain('outputTruncated');
      expect(replay.at(-1)?.type).toBe('completed');
      const live = new Map(events.map((event) => [event.seq, event]));
      for (const event of replay) expect(event.type).toBe(live.get(event.seq)?.type);
      expect(replay.map((event) => event.seq)).toEqual(
        [...new Set(replay.map((event) => event.seq))].sort((a, b) => a - b),
      );
    },
  );

  test('after the limit the process still runs to its own end: its exit code decides', async () => {
    const { result } = await runLimited(
      shell(`"${node}" "${fixture('print-lines.js')}" 2000 && exit 3`),
      1000,
      'truncateWithWarning',
    );
    expect(result).toMatchObject({ status: 'completed', exitCode: 3, success: false, stdoutTruncated: true });
    expect(result.error).toBeUndefined();
  });

  test('output of exactly the limit is kept whole and not truncated', async () => {
    const limit = printedText(300).length;
    const { result, events } = await runLimited(printLines('300', 'both'), 2 * limit, 'truncateWithWarning');
    expect(result.stdout).toBe(storedPrefix(printedText(300), limit));
    expect(result.stderr).toBe(result.stdout);
    expect(result).toMatchObject({ stdoutTruncated: false, stderrTruncated: false });
    expect(events.map((event) => event.type)).not.toContain('outputTruncated');
  });

  test('stdout and stderr interleaved share one limit counted in bytes as received', async () => {
    const limit = 100_000;
    const { engine, result, events } = await runLimited(
      printLines('20000', 'both'),
      limit,
      'truncateWithWarning',
    );
    const text = printedText(20_000);
    for (const stream of ['stdout', 'stderr'] as const) {
      expect(text.startsWith(result[stream])).toBe(true);
      expect(result[`${stream}Truncated`]).toBe(true);
      expect(linesOn(events, stream)).toEqual(linesOf(text));
    }
    // Each stream's stored text lacks its final line break when its part ended right after one.
    const kept = bytes(result.stdout) + bytes(result.stderr);
    expect(kept).toBeGreaterThanOrEqual(limit - 2);
    expect(kept).toBeLessThanOrEqual(limit);
    expect(events.filter((event) => event.type === 'outputTruncated')).toHaveLength(1);
    const replay = await drain(engine.subscribe(result.id));
    expect(linesOn(replay, 'stdout')).toEqual(storedLines(result.stdout));
    expect(linesOn(replay, 'stderr')).toEqual(storedLines(result.stderr));
  });

  test('the limit counts both streams in the order their bytes were received', async () => {
    // Alternating writes of 200 bytes each; the 700-byte limit falls in the middle of the fourth.
    const block = (stream: 'out' | 'err', n: number) => {
      const text = Array.from({ length: 20 }, (_, i) => `${stream}${n}-${String(i).padStart(4, '0')}`).join(
        '\n',
      );
      return `${text}\n`;
    };
    const writes = [
      block('out', 1),
      block('err', 1),
      block('out', 2),
      block('err', 2),
      block('out', 3),
      block('err', 3),
    ];
    expect(writes.map((text) => text.length)).toEqual([200, 200, 200, 200, 200, 200]);
    const { result } = await runLimited(
      writeChunks(...writes.map((text) => chunk(text.startsWith('out') ? 'out' : 'err', text))),
      700,
      'truncateWithWarning',
    );
    // Two pipes: on a busy machine their chunks may be read in another order than written, so
    // check what holds for any order: 700 bytes kept in all, each stream a prefix of its output.
    const out = writes[0]! + writes[2]! + writes[4]!;
    const err = writes[1]! + writes[3]! + writes[5]!;
    expect(out.startsWith(result.stdout) && err.startsWith(result.stderr)).toBe(true);
    const kept = result.stdout.length + result.stderr.length; // a stripped final break counts 1 less
    expect(kept).toBeGreaterThanOrEqual(698);
    expect(kept).toBeLessThanOrEqual(700);
    expect(result.stdoutTruncated).toBe(result.stdout.length < out.length - 1);
    expect(result.stderrTruncated).toBe(result.stderr.length < err.length - 1);
    expect(result.status).toBe('completed');
  });

  test.each([
    [
      'stderr crosses the limit after stdout wrote',
      [chunk('out', 'first\n'), chunk('err', `${'x'.repeat(100)}\n`)],
      { stdout: 'first', stderr: 'x'.repeat(44), stdoutTruncated: false, stderrTruncated: true },
    ],
    [
      'stdout crosses the limit after stderr wrote',
      [chunk('err', 'first\n'), chunk('out', `${'x'.repeat(100)}\n`)],
      { stdout: 'x'.repeat(44), stderr: 'first', stdoutTruncated: true, stderrTruncated: false },
    ],
    [
      'stderr writes only after stdout crossed the limit',
      [chunk('out', `${'x'.repeat(100)}\n`), chunk('err', 'late\n')],
      { stdout: 'x'.repeat(50), stderr: '', stdoutTruncated: true, stderrTruncated: true },
    ],
  ])('the flag is set only on a stream that lost data: %s', async (_name, chunks, expected) => {
    const { result } = await runLimited(writeChunks(...chunks), 50, 'truncateWithWarning');
    expect(result).toMatchObject({ ...expected, status: 'completed' });
  });

  test.each([
    [2, 'ab'],
    [3, 'ab'],
    [4, 'ab'],
    [5, 'ab世'],
    [6, 'ab世c'],
  ])('a %d-byte limit cuts `ab世cd` on a character boundary', async (limit, kept) => {
    const { result } = await runLimited(writeChunks(chunk('out', 'ab世cd\n')), limit, 'truncateWithWarning');
    expect(result.stdout).toBe(kept);
    expect(bytes(result.stdout)).toBeLessThanOrEqual(limit);
  });

  test.each([1, 2, 3, 4, 5])('a %d-byte limit cuts `a🎉b` on a character boundary', async (limit) => {
    const { result } = await runLimited(writeChunks(chunk('out', 'a🎉b\n')), limit, 'truncateWithWarning');
    expect(result.stdout).toBe(limit < 5 ? 'a' : 'a🎉');
  });

  test('a character split across writes right at the limit is not split', async () => {
    // `世` is e4 b8 96; the limit falls after its first byte, which ends a write of its own.
    const { result } = await runLimited(
      writeChunks(chunk('out', [0x61, 0x62, 0xe4]), chunk('out', [0xb8, 0x96, 0x63, 0x0a])),
      3,
      'truncateWithWarning',
    );
    // Its first byte was already taken when the limit is seen: the engine keeps the whole
    // character (at most 3 bytes past the limit) rather than cutting it in two.
    expect(['ab', 'ab世']).toContain(result.stdout);
    expect(result.stdoutTruncated).toBe(true);
  });
});

describe('failExecution', () => {
  const yesLine = (_: number): string => 'y';
  const floodLine = (i: number): string => `line ${i}`;

  test.each([
    ['`yes` flooding stdout', exec('yes'), ['stdout'], yesLine],
    ['a node loop flooding stderr', exec(node, [fixture('flood.js'), 'stderr']), ['stderr'], floodLine],
    [
      'a node loop flooding both streams',
      exec(node, [fixture('flood.js'), 'both']),
      ['stdout', 'stderr'],
      floodLine,
    ],
  ] as const)('%s is terminated at once and the execution fails', async (_name, command, written, lineAt) => {
    const limit = 10_000;
    // A long grace: had SIGTERM not ended the group, the run would take 5 s.
    const engine = outputEngine({
      maxOutputSizeBytes: limit,
      oversizedOutputStrategy: 'failExecution',
      killGraceMs: 5000,
    });
    const recorded = recordEvents(engine);
    let survivors: number[] | undefined;
    engine.on('failed', (event) => {
      survivors = liveGroupMembers(event.result.pid!);
    });
    const error = await engine.run({ command }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(error).toBeInstanceOf(CommandFailedError);
    const { result, cause } = error as CommandFailedError;
    expect(cause).toBeInstanceOf(OutputSizeExceededError);
    expect((cause as OutputSizeExceededError).limitBytes).toBe(limit);
    expect(result).toMatchObject({
      status: 'failed',
      success: false,
      error: { code: 'OUTPUT_SIZE_EXCEEDED' },
    });
    expect(survivors).toEqual([]);
    expect(result.durationMs).toBeLessThan(4000);
    expect(bytes(result.stdout) + bytes(result.stderr)).toBeLessThanOrEqual(limit);
    expect(bytes(result.stdout) + bytes(result.stderr)).toBeGreaterThan(limit - 20);
    expect(result.stdoutTruncated || result.stderrTruncated).toBe(true);
    const events = recorded.get(result.id)!;
    const truncatedAt = events.findIndex((event) => event.type === 'outputTruncated');
    expect(events[truncatedAt]).toMatchObject({ limitBytes: limit, strategy: 'failExecution' });
    // failExecution stops there: no line event after the limit.
    expect(events.slice(truncatedAt + 1).map((event) => event.type)).toEqual(['failed']);
    for (const stream of ['stdout', 'stderr'] as const) {
      const stored = storedLines(result[stream]);
      if (!(written as readonly string[]).includes(stream)) {
        expect(stored).toEqual([]);
        expect(result[`${stream}Truncated`]).toBe(false);
      }
      // What is kept is the first lines, the last one possibly cut.
      expect(stored.every((line, i) => lineAt(i + 1).startsWith(line))).toBe(true);
      expect(stored.slice(0, -1).every((line, i) => line === lineAt(i + 1))).toBe(true);
      // Every line event is a stored line; the line cut at the limit is stored but has no event.
      const emitted = linesOn(events, stream);
      expect(stored.slice(0, emitted.length)).toEqual(emitted);
      expect(emitted.length).toBeGreaterThanOrEqual(stored.length - 1);
    }
  });

  test('the grandchildren of a process that floods are terminated too', async () => {
    const engine = outputEngine({ maxOutputSizeBytes: 100_000, oversizedOutputStrategy: 'failExecution' });
    let grandchild = 0;
    engine.on('stdout', (event) => {
      if (event.line.startsWith('grandchild ')) grandchild = Number(event.line.split(' ')[1]);
    });
    let survivors: number[] | undefined;
    let grandchildAlive: boolean | undefined;
    engine.on('failed', (event) => {
      survivors = liveGroupMembers(event.result.pid!);
      grandchildAlive = isAlive(grandchild);
    });
    const id = await engine.execute({ command: exec(node, [fixture('flood.js'), 'stdout', 'grandchild']) });
    const result = await engine.waitForCompletion(id);
    expect(result.error?.code).toBe('OUTPUT_SIZE_EXCEEDED');
    expect(grandchild).toBeGreaterThan(0);
    expect(survivors).toEqual([]);
    expect(grandchildAlive).toBe(false);
  });
});

describe('streamToFile', () => {
  test.each([
    ['stdout', MID_LINE],
    ['stderr', MID_LINE],
    ['stdout', AFTER_BREAK],
    ['stderr', AFTER_BREAK],
  ] as const)(
    'memory part and overflow file of %s with a %d-byte limit are every byte written',
    async (stream, limit) => {
      const { result, events } = await runLimited(printLines('2000', stream), limit, 'streamToFile');
      const file = result[`${stream}OverflowFile`]!;
      const overflow = readFileSync(file, 'latin1');
      expect(result[stream]).toBe(storedPrefix(TEXT, limit));
      expect(overflow).toBe(TEXT.slice(limit));
      expect(rejoins(result[stream], overflow, TEXT)).toBe(true);
      expect(result[`${other(stream)}OverflowFile`]).toBeUndefined();
      expect(result).toMatchObject({ status: 'completed', exitCode: 0, [`${stream}Truncated`]: true });
      expect(result[`${other(stream)}Truncated`]).toBe(false);
      expect(events.filter((event) => event.type === 'outputTruncated')).toEqual([
        expect.objectContaining({ limitBytes: limit, strategy: 'streamToFile' }),
      ]);
      expect(linesOn(events, stream)).toEqual(linesOf(TEXT));
    },
  );

  test('both streams overflow to files of their own and nothing is lost', async () => {
    const limit = 20_000;
    const { result } = await runLimited(printLines('5000', 'both'), limit, 'streamToFile');
    const text = printedText(5000);
    expect(result.stdoutOverflowFile).not.toBe(result.stderrOverflowFile);
    for (const stream of ['stdout', 'stderr'] as const) {
      const overflow = readFileSync(result[`${stream}OverflowFile`]!, 'latin1');
      expect(rejoins(result[stream], overflow, text)).toBe(true);
      expect(result[`${stream}Truncated`]).toBe(true);
    }
    const kept = bytes(result.stdout) + bytes(result.stderr);
    expect(kept).toBeGreaterThanOrEqual(limit - 2);
    expect(kept).toBeLessThanOrEqual(limit);
  });

  test('binary output: the overflow file holds the exact bytes after the cut', async () => {
    const total = 300_000;
    const limit = 1000;
    const { result } = await runLimited(
      exec(node, [fixture('large-output.js'), String(total)]),
      limit,
      'streamToFile',
    );
    const overflow = readFileSync(result.stdoutOverflowFile!);
    // The cut backs off to a character boundary: up to 3 bytes before the limit.
    expect(overflow.length).toBeGreaterThanOrEqual(total - limit);
    expect(overflow.length).toBeLessThanOrEqual(total - limit + 3);
    expect(overflow.equals(largeOutput(total).subarray(total - overflow.length))).toBe(true);
    expect(result.stdout).not.toBe('');
  });

  test.each([
    ['a character cut by the limit inside one write', [chunk('out', 'ab世cd\n')]],
    [
      'a character split across writes right at the limit',
      [chunk('out', [0x61, 0x62, 0xe4]), chunk('out', [0xb8, 0x96, 0x63, 0x0a])],
    ],
  ])('nothing is lost around %s', async (_name, chunks) => {
    const { result } = await runLimited(writeChunks(...chunks), 3, 'streamToFile');
    const written = Buffer.concat(chunks.map((arg) => Buffer.from(arg.slice(4), 'hex')));
    expect(result.stdout).not.toContain('\uFFFD');
    expect(rejoinsBytes(result.stdout, readFileSync(result.stdoutOverflowFile!), written)).toBe(true);
  });

  // Regression: the other stream's unfinished character at the limit was in neither memory nor its overflow file.
  test('a character another stream had begun when the limit was crossed is not lost', async () => {
    const stderr = [chunk('err', [0x61, 0x62, 0xe4]), chunk('err', [0xb8, 0x96, 0x63, 0x64, 0x0a])];
    const { result } = await runLimited(
      writeChunks(stderr[0]!, chunk('out', `${'x'.repeat(100)}\n`), stderr[1]!),
      50,
      'streamToFile',
    );
    const written = Buffer.from('ab世cd\n');
    expect(rejoinsBytes(result.stderr, readFileSync(result.stderrOverflowFile!), written)).toBe(true);
  });

  test.each([
    ['without logDir the overflow file is in os.tmpdir()', false],
    ['with logDir the overflow file is in logDir', true],
  ])('%s', async (_name, withLogDir) => {
    const logDir = withLogDir ? tempDir() : undefined;
    const config = logDir === undefined ? {} : { logDir };
    const { result } = await runLimited(printLines('500', 'both'), 1000, 'streamToFile', config);
    for (const file of [result.stdoutOverflowFile!, result.stderrOverflowFile!]) {
      expect(dirname(file)).toBe(logDir ?? tmpdir());
      expect(basename(file)).toContain(result.id);
    }
  });

  test('overflow files are complete and closed when the terminal event fires', async () => {
    const engine = outputEngine({ maxOutputSizeBytes: 1000, oversizedOutputStrategy: 'streamToFile' });
    const seen: { complete: boolean; open: boolean }[] = [];
    const text = printedText(20_000);
    engine.on('completed', ({ result }) => {
      for (const stream of ['stdout', 'stderr'] as const) {
        const file = result[`${stream}OverflowFile`]!;
        seen.push({
          complete: rejoins(result[stream], readFileSync(file, 'latin1'), text),
          open: isOpenHere(file),
        });
      }
    });
    await engine.run({ command: printLines('20000', 'both') });
    expect(seen).toEqual([
      { complete: true, open: false },
      { complete: true, open: false },
    ]);
  });

  test.each([
    ['removeExecution', (engine: ExecutionEngine, id: string) => engine.removeExecution(id)],
    ['cleanup', (engine: ExecutionEngine) => eventually(() => engine.cleanup() === 1)],
  ])('an overflow file outside logDir is deleted when %s removes its execution', async (_name, remove) => {
    const { engine, result } = await runLimited(printLines('500', 'both'), 1000, 'streamToFile', {
      executionRetentionMs: 0,
    });
    const files = [result.stdoutOverflowFile!, result.stderrOverflowFile!];
    expect(files.every((file) => existsSync(file))).toBe(true);
    await remove(engine, result.id);
    expect(() => engine.getStatus(result.id)).toThrow();
    expect(await eventually(() => files.every((file) => !existsSync(file)))).toBe(true);
  });

  test('an overflow file in logDir is kept when its execution is removed', async () => {
    const logDir = tempDir();
    const inTemp = await runLimited(printLines('500'), 1000, 'streamToFile');
    const inLogDir = await runLimited(printLines('500'), 1000, 'streamToFile', { logDir });
    const kept = inLogDir.result.stdoutOverflowFile!;
    const content = readFileSync(kept, 'latin1');
    inTemp.engine.removeExecution(inTemp.result.id);
    inLogDir.engine.removeExecution(inLogDir.result.id);
    // Both removals start their file deletion the same way: once the temp one is gone, the
    // one in logDir would be too.
    expect(await eventually(() => !existsSync(inTemp.result.stdoutOverflowFile!))).toBe(true);
    expect(readFileSync(kept, 'latin1')).toBe(content);
  });
});

describe('memory stays bounded', () => {
  const run = promisify(execFile);
  const MB = 1024 * 1024;

  /** Runs test-scripts/memory-probe.js in a Node of its own, where gc() can be called. */
  async function probe(...args: string[]) {
    const { stdout } = await run(
      node,
      ['--expose-gc', '--import', 'tsx', fixture('memory-probe.js'), ...args],
      {
        cwd: fixture('..'),
        timeout: 100_000,
      },
    );
    return JSON.parse(stdout) as Record<string, number | string | boolean | undefined>;
  }

  test.each(['truncateWithWarning', 'failExecution', 'streamToFile'] as const)(
    '%s: 200 MB through a 1 MB limit grows the heap by less than 20 MB',
    { timeout: 120_000 },
    async (strategy) => {
      const lines = 200_000;
      const width = 1000;
      const result = await probe(strategy, String(lines), String(width), String(MB));
      expect(result.peakGrowth).toBeLessThan(20 * MB);
      expect(result.endGrowth).toBeLessThan(20 * MB);
      expect(result.stdoutBytes).toBeLessThanOrEqual(MB);
      expect(result.overflowRemoved).toBe(true);
      if (strategy === 'failExecution') {
        expect(result).toMatchObject({ status: 'failed', errorCode: 'OUTPUT_SIZE_EXCEEDED' });
      } else {
        expect(result).toMatchObject({ status: 'completed', lineEvents: lines });
      }
      if (strategy === 'streamToFile') expect(result.overflowBytes).toBe(lines * (width + 1) - MB);
    },
  );

  // Regression: the live-only ring for subscribers was bounded by count, not size (1000 lines of 100 KB held 100 MB).
  test.each(['truncateWithWarning', 'streamToFile'] as const)(
    '%s: with a subscriber, 200 MB of long lines through a 1 MB limit grow the heap by less than 20 MB',
    { timeout: 30_000 },
    async (strategy) => {
      const result = await probe(strategy, '2000', '100000', String(MB), 'subscribe');
      expect(result).toMatchObject({ status: 'completed', lineEvents: 2000 });
      expect(result.peakGrowth).toBeLessThan(20 * MB);
      expect(result.endGrowth).toBeLessThan(20 * MB);
    },
  );
});
