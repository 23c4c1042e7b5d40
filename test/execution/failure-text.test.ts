import { describe, expect, test } from 'vitest';
import {
  describeFailure,
  type FailureFacts,
  STDERR_TAIL_BYTES,
  STDERR_TAIL_LINES,
  stderrTail,
} from '../../src/execution/failure-text.js';

const facts: FailureFacts = {
  status: 'completed',
  command: { file: 'git', args: ['push'] },
  timeoutMs: 100,
  cancelReason: undefined,
  error: undefined,
  exitCode: 2,
};
const lines = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => `line ${from + i}`).join('\n');
const bytes = (text: string) => Buffer.byteLength(text);

describe('describeFailure', () => {
  test('names the reason and the command on one line when there is no stderr', () => {
    expect(describeFailure(facts)).toBe('Command failed with exit code 2: git push');
    expect(describeFailure({ ...facts, stderr: '' })).toBe('Command failed with exit code 2: git push');
    expect(describeFailure({ ...facts, stderr: '\n  \n' })).toBe('Command failed with exit code 2: git push');
  });

  test('then the last lines of stderr, as execa does', () => {
    expect(describeFailure({ ...facts, stderr: 'rejected\nhint: pull first' })).toBe(
      'Command failed with exit code 2: git push\nrejected\nhint: pull first',
    );
  });

  test.each<[string, Partial<FailureFacts>, string]>([
    ['timeout', { status: 'timeout' }, 'Command timed out after 100 milliseconds: git push'],
    [
      'cancelled with a reason',
      { status: 'cancelled', cancelReason: 'stop' },
      'Command was cancelled (stop): git push',
    ],
    ['cancelled without a reason', { status: 'cancelled' }, 'Command was cancelled: git push'],
    [
      'failed',
      {
        status: 'failed',
        error: { code: 'KILLED_BY_SIGNAL', message: 'Command was killed by SIGKILL: git push' },
      },
      'Command was killed by SIGKILL: git push',
    ],
  ])('%s: the same summary, followed by the stderr tail', (_name, change, summary) => {
    expect(describeFailure({ ...facts, ...change })).toBe(summary);
    expect(describeFailure({ ...facts, ...change, stderr: 'why' })).toBe(`${summary}\nwhy`);
  });
});

describe('stderrTail', () => {
  test(`keeps the last ${STDERR_TAIL_LINES} lines`, () => {
    expect(stderrTail(lines(1, 30))).toBe(lines(21, 30));
    expect(stderrTail(lines(1, 10))).toBe(lines(1, 10));
    expect(stderrTail(lines(1, 3))).toBe(lines(1, 3));
    expect(stderrTail('one line')).toBe('one line');
  });

  test('trailing blank lines do not count; blank lines inside do', () => {
    expect(stderrTail(`${lines(1, 30)}\n\n\n`)).toBe(lines(21, 30));
    expect(stderrTail(`\n${lines(1, 9)}`)).toBe(`\n${lines(1, 9)}`);
    expect(stderrTail(`\n\n${lines(1, 9)}`)).toBe(`\n${lines(1, 9)}`);
  });

  test(`a line longer than ${STDERR_TAIL_BYTES} bytes keeps its end, marked as cut`, () => {
    const tail = stderrTail(`early\n${'x'.repeat(10_000)}END`);
    expect(bytes(tail)).toBe(STDERR_TAIL_BYTES);
    expect(tail).toBe(`...${'x'.repeat(STDERR_TAIL_BYTES - 6)}END`);
  });

  test(`ten lines of more than ${STDERR_TAIL_BYTES} bytes together keep their last bytes`, () => {
    const long = Array.from({ length: 20 }, (_, i) => `${i}`.padEnd(1000, '.')).join('\n');
    const tail = stderrTail(long);
    expect(bytes(tail)).toBeLessThanOrEqual(STDERR_TAIL_BYTES);
    expect(tail.startsWith('...')).toBe(true);
    expect(long.endsWith(tail.slice(3))).toBe(true);
    expect(tail.split('\n').at(-1)).toBe('19'.padEnd(1000, '.'));
  });

  test('exactly the byte limit is kept whole', () => {
    const text = 'y'.repeat(STDERR_TAIL_BYTES);
    expect(stderrTail(text)).toBe(text);
    expect(stderrTail(`${text}y`)).toBe(`...${'y'.repeat(STDERR_TAIL_BYTES - 3)}`);
  });

  test.each([
    ['two-byte', 'é'],
    ['three-byte', '世'],
    ['four-byte (a surrogate pair)', '😀'],
  ])('%s characters are never cut in half', (_name, char) => {
    for (const pad of ['', 'a', 'ab', 'abc']) {
      const tail = stderrTail(`${pad}${char.repeat(3000)}`);
      expect(bytes(tail)).toBeLessThanOrEqual(STDERR_TAIL_BYTES);
      expect(bytes(tail)).toBeGreaterThan(STDERR_TAIL_BYTES - 8);
      expect(tail).not.toContain('\uFFFD');
      expect(tail.slice(3)).toBe(char.repeat(tail.slice(3).length / char.length));
    }
  });
});
