import { describe, expect, test } from 'vitest';
import { type ExecutionEngine, exec } from '../../src/index.js';
import { fixture, node } from '../helpers/fixtures.js';
import { chunk, linesOf, outputEngine, printedText, recordEvents } from '../helpers/output.js';
import { eventually } from '../helpers/processes.js';

/** Runs `node <fixture> ...args`; returns the result and the lines its events carried, per stream. */
async function runLines(engine: ExecutionEngine, name: string, args: string[] = []) {
  const events = recordEvents(engine);
  const result = await engine.run({ command: exec(node, [fixture(name), ...args]) });
  const list = events.get(result.id) ?? [];
  const lines = { stdout: [] as string[], stderr: [] as string[] };
  for (const event of list) {
    if (event.type === 'stdout' || event.type === 'stderr') lines[event.type].push(event.line);
  }
  return { result, lines, events: list };
}

describe('line splitting end to end', () => {
  test.each([
    [
      'a line split across writes is joined, the last one without newline is emitted',
      'partial-lines.js',
      ['hello', 'world'],
      [],
    ],
    [
      'lone \\r progress updates are separate lines',
      'cr-progress.js',
      ['10%', '20%', '30%', '40%', '50%', '60%', '70%', '80%', '90%', '100%', 'done'],
      [],
    ],
    ['a \\r\\n split across writes is one line break', 'crlf.js', ['a', 'b'], ['x', 'y']],
    ['multi-byte characters split across writes arrive intact', 'split-multibyte.js', ['héllo 世界 🎉'], []],
    ['invalid UTF-8 becomes U+FFFD', 'invalid-utf8.js', ['ok', '\uFFFD\uFFFDbad', '\uFFFD'], []],
  ])('%s (%s)', async (_name, name, stdout, stderr) => {
    const { result, lines } = await runLines(outputEngine(), name);
    expect(lines).toEqual({ stdout, stderr });
    expect(result.stdout).toBe(stdout.join('\n'));
    expect(result.stderr).toBe(stderr.join('\n'));
  });

  test.each([
    ['empty lines are kept', [chunk('out', 'a\n\nb\n\n')], ['a', '', 'b', '']],
    [
      'an empty line between a lone \\r and a split \\r\\n is kept',
      [chunk('out', 'a\r'), chunk('out', '\r\nb')],
      ['a', '', 'b'],
    ],
    [
      'a \\r at the end of a write and \\n at the start of the next are one break',
      [chunk('out', 'a\r'), chunk('out', '\nb\r'), chunk('out', '\n')],
      ['a', 'b'],
    ],
    [
      'a four-byte character split at every byte arrives intact',
      [chunk('out', [0xf0]), chunk('out', [0x9f]), chunk('out', [0x8e]), chunk('out', [0x89, 0x0a])],
      ['🎉'],
    ],
    [
      'a character cut off by the end of output becomes U+FFFD',
      [chunk('out', 'x\n'), chunk('out', [0xe4, 0xb8])],
      ['x', '\uFFFD'],
    ],
  ])('%s', async (_name, chunks, expected) => {
    const { result, lines } = await runLines(outputEngine(), 'write-chunks.js', ['20', ...chunks]);
    expect(lines.stdout).toEqual(expected);
    expect(result.stdout).toBe(expected.join('\n'));
  });

  test('stdout and stderr interleaved each arrive complete and in order', async () => {
    const { result, lines, events } = await runLines(outputEngine(), 'print-lines.js', ['20000', 'both']);
    const expected = linesOf(printedText(20_000));
    expect(lines.stdout).toEqual(expected);
    expect(lines.stderr).toEqual(expected);
    expect(result.stdout).toBe(expected.join('\n'));
    expect(result.stderr).toBe(expected.join('\n'));
    expect(events.map((event) => event.seq)).toEqual(events.map((_, i) => i + 1));
  });

  test('a million short lines all arrive, in order, and are all kept', { timeout: 30_000 }, async () => {
    const engine = outputEngine({ maxOutputSizeBytes: 64 * 1024 * 1024 });
    let count = 0;
    let wrong = 0;
    let last = '';
    engine.on('stdout', (event) => {
      count++;
      if (event.line !== `line ${count}`) wrong++;
      last = event.line;
    });
    const result = await engine.run({ command: exec(node, [fixture('print-lines.js'), '1000000']) });
    expect(count).toBe(1_000_000);
    expect(wrong).toBe(0);
    expect(last).toBe('line 1000000');
    expect(result.stdoutTruncated).toBe(false);
    expect(result.stdout === printedText(1_000_000).slice(0, -1)).toBe(true);
  });
});

describe('output collected without line events', () => {
  test('streamOutput false emits no line events but collects the output', async () => {
    const engine = outputEngine({ streamOutput: false });
    const events = recordEvents(engine);
    const result = await engine.run({ command: exec(node, [fixture('print-lines.js'), '500', 'both']) });
    const expected = printedText(500).slice(0, -1);
    expect(result.stdout).toBe(expected);
    expect(result.stderr).toBe(expected);
    expect(events.get(result.id)?.map((event) => event.type)).toEqual(['started', 'completed']);
  });

  test('with streamOutput false getExecution shows the output so far', async () => {
    const engine = outputEngine({ streamOutput: false });
    const events = recordEvents(engine);
    const id = await engine.execute({
      command: exec(node, [fixture('print-then-wait.js'), '250', 'partial']),
    });
    const stdout = `${printedText(250).slice(0, -1)}\npartial`;
    const stderr = linesOf(printedText(250))
      .map((line) => line.replace('line', 'err'))
      .join('\n');
    expect(
      await eventually(
        () => engine.getExecution(id).stdout === stdout && engine.getExecution(id).stderr === stderr,
      ),
    ).toBe(true);
    expect(engine.getStatus(id)).toBe('running');
    await engine.cancel(id);
    const result = engine.getResult(id)!;
    expect(result.stdout).toBe(stdout);
    expect(result.stderr).toBe(stderr);
    expect(events.get(id)?.map((event) => event.type)).toEqual(['started', 'cancelled']);
  });
});

describe('live state', () => {
  test('getExecution shows every line so far and the line in progress while the process runs', async () => {
    const engine = outputEngine();
    const id = await engine.execute({
      command: exec(node, [fixture('print-then-wait.js'), '1000', 'progress 42%']),
    });
    const expected = `${printedText(1000).slice(0, -1)}\nprogress 42%`;
    const stderr = linesOf(printedText(1000))
      .map((line) => line.replace('line', 'err'))
      .join('\n');
    await new Promise<void>((resolve) => {
      engine.on('stdout', (event) => {
        if (event.line === 'line 1000') resolve();
      });
    });
    // The line in progress has no event of its own: poll for it.
    expect(
      await eventually(
        () => engine.getExecution(id).stdout === expected && engine.getExecution(id).stderr === stderr,
      ),
    ).toBe(true);
    expect(engine.getExecution(id).status).toBe('running');
    // Reading snapshots does not disturb what is stored afterwards.
    await engine.cancel(id);
    expect(engine.getResult(id)?.stdout).toBe(expected);
    expect(engine.getResult(id)?.stderr).toBe(stderr);
  });
});
