import { afterEach, describe, expect, test } from 'vitest';
import { exec, shell } from '../../src/index.js';
import { createEngine, shutDownTrackedEngines } from '../helpers/tracked-engine.js';

afterEach(shutDownTrackedEngines);

describe('input is written to stdin, then stdin is closed', () => {
  test.each([
    ['a string', 'hello\nworld\n', 'hello\nworld'],
    ['a string without final newline', 'no newline', 'no newline'],
    ['a multi-byte string', 'héllo wörld ✓ 🎉\n', 'héllo wörld ✓ 🎉'],
    ['a Uint8Array', new TextEncoder().encode('from bytes\n'), 'from bytes'],
    ['a Buffer', Buffer.from('from a buffer\n'), 'from a buffer'],
    [
      'a Uint8Array view into a larger buffer',
      new TextEncoder().encode('xxmiddlexx').subarray(2, 8),
      'middle',
    ],
  ])('%s reaches cat, which exits because stdin is closed', async (_name, input, stdout) => {
    const engine = createEngine();
    const result = await engine.run({ command: exec('cat'), input, timeoutMs: 10_000 });
    expect(result).toMatchObject({ status: 'completed', exitCode: 0, stdout });
  });

  test('an empty string input gives an empty, closed stdin', async () => {
    const engine = createEngine();
    const result = await engine.run({ command: exec('cat'), input: '', timeoutMs: 10_000 });
    expect(result).toMatchObject({ status: 'completed', stdout: '' });
  });

  test('an input larger than a pipe buffer arrives whole', async () => {
    const engine = createEngine();
    const lines = Array.from({ length: 20_000 }, (_, i) => `input line ${i}`);
    const result = await engine.run({
      command: exec('cat'),
      input: `${lines.join('\n')}\n`,
      timeoutMs: 10_000,
    });
    expect(result.stdout.split('\n')).toEqual(lines);
  });

  test('a process that does not read its input still completes normally', async () => {
    const engine = createEngine();
    const result = await engine.run({ command: exec('true'), input: 'x'.repeat(1024 * 1024) });
    expect(result).toMatchObject({ status: 'completed', exitCode: 0, success: true });
  });

  test('the input is counted by wc -c in bytes', async () => {
    const engine = createEngine();
    const input = Uint8Array.from([0, 1, 2, 255, 10]);
    const result = await engine.run({ command: shell('wc -c'), input });
    expect(result.stdout.trim()).toBe('5');
  });
});

describe('without input', () => {
  test('cat exits at once with empty output', async () => {
    const engine = createEngine();
    const result = await engine.run({ command: exec('cat'), timeoutMs: 10_000 });
    expect(result).toMatchObject({ status: 'completed', exitCode: 0, stdout: '', stderr: '' });
    expect(result.durationMs).toBeLessThan(5000);
  });

  test.runIf(process.platform === 'linux')('stdin is /dev/null', async () => {
    const engine = createEngine();
    const result = await engine.run({ command: exec('readlink', ['/proc/self/fd/0']) });
    expect(result.stdout).toBe('/dev/null');
  });
});
