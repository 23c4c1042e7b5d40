import { describe, expect, test } from 'vitest';
import { OutputBuffer } from '../../src/io/output-buffer.js';

/** The lines a splitter would give for `text` (breaks: `\n`, `\r\n`, lone `\r`). */
function linesOf(text: string): string[] {
  const lines = text.split(/\r\n|\r|\n/);
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

describe('OutputBuffer.reader while output is still arriving', () => {
  test('reads each line from the bytes as pieces arrive, breaks and characters split across pieces', () => {
    const text = 'alpha\r\nbeta\rgamma\n\nδέλτα €\r\nlast';
    const bytes = Buffer.from(text);
    const buffer = new OutputBuffer();
    const read = buffer.reader();
    const expected = linesOf(text);
    // Cut every 3 bytes: `\r\n` and multi-byte characters land across pieces.
    let got: string[] = [];
    let fed = 0;
    for (let at = 0; at < bytes.length; at += 3) {
      buffer.append(bytes.subarray(at, at + 3));
      fed = Math.min(bytes.length, at + 3);
      // Read every line complete so far, as a live subscriber does after each piece.
      const complete =
        linesOf(bytes.subarray(0, fed).toString()).length -
        (/[\r\n]$/.test(bytes.subarray(0, fed).toString()) ? 0 : 1);
      got = [];
      for (let i = 0; i < complete; i++) got.push(read(i));
      expect(got).toEqual(expected.slice(0, complete));
    }
    expect(read(expected.length - 1)).toBe('last');
    // Once decoded (a snapshot asked for the text), the same reader goes on from the text.
    expect(buffer.text()).toBe('alpha\nbeta\ngamma\n\nδέλτα €\nlast');
    expect(read(0)).toBe('alpha');
    expect(read(4)).toBe('δέλτα €');
  });

  test('any cut of the bytes, read forward as lines complete and again from earlier lines, gives the lines', () => {
    // A small deterministic generator: the same cases on every run.
    let seed = 7;
    const random = (n: number) => {
      seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0;
      return (seed >>> 16) % n;
    };
    const parts = ['ab', 'x'.repeat(300), 'é€', '\r\n', '\r', '\n', '\n\n', '\t"'];
    for (let round = 0; round < 200; round++) {
      let text = '';
      for (let i = 0; i < 40; i++) text += parts[random(parts.length)];
      const bytes = Buffer.from(text);
      const buffer = new OutputBuffer();
      const read = buffer.reader();
      const expected = linesOf(text);
      let next = 0;
      for (let at = 0; at < bytes.length; ) {
        const size = 1 + random(200);
        buffer.append(bytes.subarray(at, at + size));
        at += size;
        const fed = bytes.subarray(0, Math.min(at, bytes.length)).toString();
        const complete = linesOf(fed).length - (/[\r\n]$/.test(fed) ? 0 : 1);
        for (; next < complete; next++) expect(read(next)).toBe(expected[next]);
        if (next > 3 && random(4) === 0) expect(read(next - 3)).toBe(expected[next - 3]);
      }
    }
  });

  test('following 20,000 lines piece by piece reads every one, in order, as it arrives', () => {
    const buffer = new OutputBuffer();
    const read = buffer.reader();
    let next = 0;
    for (let piece = 0; piece < 200; piece++) {
      let chunk = '';
      for (let i = 0; i < 100; i++) chunk += `line ${piece * 100 + i}\n`;
      buffer.append(Buffer.from(chunk));
      for (; next < (piece + 1) * 100; next++) expect(read(next)).toBe(`line ${next}`);
    }
    expect(read(19_999)).toBe('line 19999');
    expect(read(20_000)).toBe('');
  });
});
