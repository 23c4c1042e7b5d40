import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { LineSplitter } from '../../src/io/line-splitter.js';

const encoder = new TextEncoder();

type Chunk = string | number[] | Uint8Array;

function toBytes(chunk: Chunk): Uint8Array {
  if (typeof chunk === 'string') return encoder.encode(chunk);
  return chunk instanceof Uint8Array ? chunk : Uint8Array.from(chunk);
}

/** Feeds the chunks to a new splitter, then ends it; returns the emitted lines. */
function splitChunks(chunks: readonly Chunk[]): string[] {
  const lines: string[] = [];
  const splitter = new LineSplitter((line) => lines.push(line));
  for (const chunk of chunks) splitter.push(toBytes(chunk));
  splitter.end();
  return lines;
}

/** Cuts `bytes` at the given positions (any order, duplicates give empty chunks). */
function cutAt(bytes: Uint8Array, cuts: readonly number[]): Uint8Array[] {
  const positions = cuts.map((cut) => cut % (bytes.length + 1)).sort((a, b) => a - b);
  const chunks: Uint8Array[] = [];
  let from = 0;
  for (const to of positions) {
    chunks.push(bytes.subarray(from, to));
    from = to;
  }
  chunks.push(bytes.subarray(from));
  return chunks;
}

/** The reference: split decoded text on any line break; a final break ends the last line. */
function referenceLines(text: string): string[] {
  const pieces = text.split(/\r\n|\r|\n/);
  if (pieces.at(-1) === '') pieces.pop();
  return pieces;
}

// `ignoreBOM: true` keeps a leading U+FEFF, as the splitter does: process output is not a file.
const decode = (bytes: Uint8Array): string => new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);

describe('line breaks', () => {
  test.each([
    ['\\n', 'a\nb\n', ['a', 'b']],
    ['\\r\\n', 'a\r\nb\r\n', ['a', 'b']],
    ['a lone \\r', 'a\rb\r', ['a', 'b']],
    ['a mix of all three', 'a\nb\r\nc\rd', ['a', 'b', 'c', 'd']],
  ])('lines are split on %s', (_name, input, expected) => {
    expect(splitChunks([input])).toEqual(expected);
  });

  test('an empty line is a line', () => {
    expect(splitChunks(['a\n\nb\n'])).toEqual(['a', '', 'b']);
  });

  test('two lone carriage returns make an empty line between them', () => {
    expect(splitChunks(['a\r\rb'])).toEqual(['a', '', 'b']);
  });

  test('\\n\\r is two line breaks, not one', () => {
    expect(splitChunks(['a\n\rb'])).toEqual(['a', '', 'b']);
  });

  test('input ending with a newline gives no extra empty line at the end', () => {
    expect(splitChunks(['a\n'])).toEqual(['a']);
    expect(splitChunks(['a\r\n'])).toEqual(['a']);
    expect(splitChunks(['a\r'])).toEqual(['a']);
  });

  test('a lone newline is one empty line', () => {
    expect(splitChunks(['\n'])).toEqual(['']);
  });
});

describe('chunks', () => {
  test('a line split across chunks is joined', () => {
    expect(splitChunks(['hel', 'lo\nwor', 'ld'])).toEqual(['hello', 'world']);
  });

  test('a line split across many chunks without a newline is joined', () => {
    expect(splitChunks(['a', 'b', 'c', 'd\ne'])).toEqual(['abcd', 'e']);
  });

  test('a multi-byte character split across chunks is decoded intact', () => {
    const bytes = encoder.encode('é世🎉\n');
    expect(splitChunks([...bytes].map((byte) => [byte]))).toEqual(['é世🎉']);
  });

  test('a \\r\\n split across two chunks is one line break', () => {
    expect(splitChunks(['a\r', '\nb\r', '\n'])).toEqual(['a', 'b']);
  });

  test('a \\r\\n split by an empty chunk is still one line break', () => {
    expect(splitChunks(['a\r', '', '\nb'])).toEqual(['a', 'b']);
  });

  test('a \\r\\n split by the bytes of an incomplete character is still one line break', () => {
    expect(splitChunks(['a\r', [0xe4], [0xb8, 0x96, 0x0a]])).toEqual(['a', '世']);
  });

  test('a \\r at the end of a chunk emits its line right away', () => {
    const lines: string[] = [];
    const splitter = new LineSplitter((line) => lines.push(line));
    splitter.push(encoder.encode('10%\r'));
    expect(lines).toEqual(['10%']);
    splitter.push(encoder.encode('20%\r'));
    expect(lines).toEqual(['10%', '20%']);
    splitter.push(encoder.encode('\n'));
    splitter.end();
    expect(lines).toEqual(['10%', '20%']);
  });

  test('a line is emitted as soon as its newline arrives', () => {
    const lines: string[] = [];
    const splitter = new LineSplitter((line) => lines.push(line));
    splitter.push(encoder.encode('a\nb'));
    expect(lines).toEqual(['a']);
    splitter.push(encoder.encode('c\n'));
    expect(lines).toEqual(['a', 'bc']);
  });

  test('a \\r at the end of one chunk followed by \\r in the next is two line breaks', () => {
    expect(splitChunks(['a\r', '\r\nb'])).toEqual(['a', '', 'b']);
  });
});

describe('end of stream', () => {
  test('the last line without a trailing newline is emitted at end()', () => {
    const lines: string[] = [];
    const splitter = new LineSplitter((line) => lines.push(line));
    splitter.push(encoder.encode('a\nb'));
    expect(lines).toEqual(['a']);
    splitter.end();
    expect(lines).toEqual(['a', 'b']);
  });

  test('end() after nothing emits no line', () => {
    expect(splitChunks([])).toEqual([]);
    expect(splitChunks(['', ''])).toEqual([]);
  });

  test('end() twice emits the last line once', () => {
    const lines: string[] = [];
    const splitter = new LineSplitter((line) => lines.push(line));
    splitter.push(encoder.encode('a'));
    splitter.end();
    splitter.end();
    expect(lines).toEqual(['a']);
  });

  test('the splitter can be reused after end()', () => {
    const lines: string[] = [];
    const splitter = new LineSplitter((line) => lines.push(line));
    splitter.push(encoder.encode('a\r'));
    splitter.end();
    splitter.push(encoder.encode('\nb'));
    splitter.end();
    expect(lines).toEqual(['a', '', 'b']);
  });

  test('a truncated character at the end becomes U+FFFD', () => {
    expect(splitChunks(['a\n', [0xe4, 0xb8]])).toEqual(['a', '\uFFFD']);
  });
});

describe('invalid UTF-8', () => {
  test('invalid bytes become U+FFFD', () => {
    expect(splitChunks([[0x6f, 0x6b, 0x0a, 0xff, 0xfe, 0x62, 0x0a]])).toEqual(['ok', '\uFFFD\uFFFDb']);
  });

  test('an incomplete character followed by a newline becomes U+FFFD and keeps the break', () => {
    expect(splitChunks([Uint8Array.of(0xe4, 0xb8), Uint8Array.of(0x0a, 0x61)])).toEqual(['\uFFFD', 'a']);
  });

  test('a leading byte-order mark is kept', () => {
    expect(splitChunks([[0xef, 0xbb, 0xbf, 0x61]])).toEqual(['\uFEFFa']);
  });
});

describe('pending()', () => {
  test('pending() is the decoded text of the current unterminated line', () => {
    const splitter = new LineSplitter(() => {});
    expect(splitter.pending()).toBe('');
    splitter.push(encoder.encode('a\nhé'));
    expect(splitter.pending()).toBe('hé');
    splitter.push(encoder.encode('llo'));
    expect(splitter.pending()).toBe('héllo');
    splitter.push(encoder.encode('\r'));
    expect(splitter.pending()).toBe('');
  });

  test('pending() leaves out the bytes of an incomplete character', () => {
    const splitter = new LineSplitter(() => {});
    splitter.push(Uint8Array.from([0x61, 0xf0, 0x9f]));
    expect(splitter.pending()).toBe('a');
    splitter.push(Uint8Array.from([0x8e, 0x89]));
    expect(splitter.pending()).toBe('a🎉');
  });

  test('pending() is empty after end()', () => {
    const splitter = new LineSplitter(() => {});
    splitter.push(encoder.encode('abc'));
    splitter.end();
    expect(splitter.pending()).toBe('');
  });
});

describe('properties', () => {
  const numRuns = 500;

  const breaks = fc.constantFrom('\n', '\r', '\r\n');
  const multiByteChars = fc.constantFrom('é', 'ß', '世', '界', '🎉', '\u{10FFFF}', '\uFEFF');
  /** Valid text, heavy in line breaks and multi-byte characters. */
  const breakHeavyText = fc
    .array(fc.oneof(breaks, multiByteChars, fc.string({ unit: 'binary', maxLength: 4 })), { maxLength: 40 })
    .map((parts) => parts.join(''));
  const validText = fc.oneof(fc.string({ unit: 'binary', maxLength: 80 }), breakHeavyText);

  const byteParts = fc.oneof(
    fc.constantFrom(0x0a, 0x0d).map((byte) => [byte]),
    fc.constant([0x0d, 0x0a]),
    fc.integer({ min: 0x80, max: 0xff }).map((byte) => [byte]),
    fc.integer({ min: 0, max: 0xff }).map((byte) => [byte]),
    multiByteChars.map((char) => [...encoder.encode(char)]),
    // A valid character with its tail cut off.
    multiByteChars.chain((char) => {
      const bytes = [...encoder.encode(char)];
      return fc.integer({ min: 1, max: bytes.length }).map((keep) => bytes.slice(0, keep));
    }),
  );
  /** Any bytes, heavy in line breaks, stray continuation bytes and truncated characters. */
  const anyBytes = fc.oneof(
    fc.uint8Array({ maxLength: 80 }),
    fc.array(byteParts, { maxLength: 40 }).map((parts) => Uint8Array.from(parts.flat())),
  );
  const cuts = fc.array(fc.nat(), { maxLength: 12 });
  /** One byte per chunk: the most cuts possible. */
  const byteByByte = (bytes: Uint8Array): Uint8Array[] => [...bytes].map((byte) => Uint8Array.of(byte));

  test('for valid UTF-8, the lines do not depend on where the chunks were cut', () => {
    fc.assert(
      fc.property(validText, cuts, (text, at) => {
        const bytes = encoder.encode(text);
        const whole = splitChunks([bytes]);
        expect(splitChunks(cutAt(bytes, at))).toEqual(whole);
        expect(splitChunks(byteByByte(bytes))).toEqual(whole);
      }),
      { numRuns },
    );
  });

  test('for valid UTF-8, the lines are the decoded input split on line breaks', () => {
    fc.assert(
      fc.property(validText, cuts, (text, at) => {
        const bytes = encoder.encode(text);
        expect(decode(bytes)).toBe(text);
        expect(splitChunks(cutAt(bytes, at))).toEqual(referenceLines(text));
      }),
      { numRuns },
    );
  });

  test('for any bytes, the lines do not depend on where the chunks were cut', () => {
    fc.assert(
      fc.property(anyBytes, cuts, (bytes, at) => {
        const whole = splitChunks([bytes]);
        expect(splitChunks(cutAt(bytes, at))).toEqual(whole);
        expect(splitChunks(byteByByte(bytes))).toEqual(whole);
      }),
      { numRuns },
    );
  });

  test('for any bytes, no line contains a line break', () => {
    fc.assert(
      fc.property(anyBytes, cuts, (bytes, at) => {
        for (const line of splitChunks(cutAt(bytes, at))) expect(line).not.toMatch(/[\r\n]/);
      }),
      { numRuns },
    );
  });

  test('for any bytes, invalid sequences become U+FFFD as TextDecoder does', () => {
    fc.assert(
      fc.property(anyBytes, cuts, (bytes, at) => {
        expect(splitChunks(cutAt(bytes, at))).toEqual(referenceLines(decode(bytes)));
      }),
      { numRuns },
    );
  });

  test('pending() is the decoded text after the last line break so far', () => {
    fc.assert(
      fc.property(validText, cuts, (text, at) => {
        const splitter = new LineSplitter(() => {});
        const bytes = encoder.encode(text);
        let received = 0;
        for (const chunk of cutAt(bytes, at)) {
          splitter.push(chunk);
          received += chunk.length;
          // Bytes of an incomplete character are not decoded yet: TextDecoder's stream mode agrees.
          const sofar = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes.subarray(0, received), {
            stream: true,
          });
          expect(splitter.pending()).toBe(sofar.split(/\r\n|\r|\n/).at(-1));
        }
      }),
      { numRuns },
    );
  });
});
