import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { MAX_OUTPUT_FILE_BYTES, parseOutputs, readOutputFile } from '../../src/io/output-values.js';

const dir = mkdtempSync(join(tmpdir(), 'output-values-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('parseOutputs', () => {
  test('name=value lines, the value after the first =', () => {
    expect(parseOutputs('a=1\nb=x=y\r\n\nnot a line\n=nameless\n')).toEqual({ a: '1', b: 'x=y' });
  });
  test('multi-line values between name<<DELIM and DELIM', () => {
    expect(parseOutputs('notes<<END\none\n\ntwo\nEND\nafter=1\n')).toEqual({
      notes: 'one\n\ntwo',
      after: '1',
    });
  });
  test('an unterminated multi-line value is left out; a later value replaces an earlier one', () => {
    expect(parseOutputs('a=1\na=2\nb<<END\nnever closed\n')).toEqual({ a: '2' });
  });
  test('names are plain keys, even __proto__', () => {
    const outputs = parseOutputs('__proto__=x\nbad name=1\n');
    expect(Object.keys(outputs)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(outputs)).toBe(Object.prototype);
  });
});

describe('readOutputFile', () => {
  test('a missing file means no outputs', async () => {
    expect(await readOutputFile(join(dir, 'none'), true)).toEqual({});
  });
  test('reads, parses and removes the file', async () => {
    const path = join(dir, 'one');
    await writeFile(path, 'k=v\n');
    expect(await readOutputFile(path, true)).toEqual({ k: 'v' });
    expect(existsSync(path)).toBe(false);
  });
  test('reads at most 1 MB: a larger file is cut at its last complete line within the limit', async () => {
    const path = join(dir, 'big');
    const filler = `pad=${'x'.repeat(1000)}\n`;
    const count = Math.ceil(MAX_OUTPUT_FILE_BYTES / filler.length) + 10;
    await writeFile(path, `first=1\n${filler.repeat(count)}last=2\n`);
    const outputs = await readOutputFile(path, false);
    expect(outputs.first).toBe('1');
    expect(outputs.pad).toBe('x'.repeat(1000));
    expect(outputs.last).toBeUndefined();
  });
});
