import { describe, expect, test } from 'vitest';
import { encodeEvent } from '../../src/http/sse-format.js';
import { exec } from '../../src/index.js';
import { withoutOutput } from '../../src/protocol/wire-event.js';
import { outputEngine } from '../helpers/output.js';

describe('terminal events on the wire', () => {
  test('leave stdout and stderr out without reading them (on a large output they decode it all)', () => {
    const result = { id: 'x', status: 'completed', exitCode: 0 } as Record<string, unknown>;
    const read: string[] = [];
    for (const name of ['stdout', 'stderr']) {
      Object.defineProperty(result, name, {
        enumerable: true,
        get: () => {
          read.push(name);
          return 'all of it';
        },
      });
    }
    expect(withoutOutput(result)).toEqual({ id: 'x', status: 'completed', exitCode: 0 });
    expect(read).toEqual([]);
  });

  test('one encoding per event, shared by every client following the execution', () => {
    const lines = ['a', 'b'];
    const batch = {
      type: 'output',
      executionId: 'x',
      seq: 3,
      timestamp: 1,
      stream: 'stdout',
      lines,
    } as const;
    // Each subscriber gets an event object of its own around the same lines.
    const first = encodeEvent({ ...batch, lines }, true);
    expect(encodeEvent({ ...batch, lines }, true)).toBe(first);
    // A stream alone on its execution keeps nothing.
    expect(encodeEvent({ ...batch, lines })).not.toBe(first);
    expect(new TextDecoder().decode(first)).toBe(
      'id: 4\nevent: output\ndata: {"type":"output","executionId":"x","seq":3,"timestamp":1,"stream":"stdout","lines":["a","b"]}\n\n',
    );
    // Another batch with equal lines is encoded on its own.
    expect(encodeEvent({ ...batch, lines: ['a', 'b'] }, true)).not.toBe(first);
    expect(new TextDecoder().decode(encodeEvent({ ...batch, executionId: 'y', lines }, true))).toContain(
      '"executionId":"y"',
    );
    expect(new TextDecoder().decode(encodeEvent({ ...batch, seq: 9, lines }, true))).toMatch(/^id: 10\n/);
  });

  test('a completed event carries the result without output, and its seq as the id', async () => {
    const engine = outputEngine({ streamOutput: true });
    const result = await engine.run({ command: exec('sh', ['-c', 'head -c 40000 /dev/zero | tr "\\0" x']) });
    const events: string[] = [];
    for await (const event of engine.subscribe(result.id, { lines: 'batched' })) {
      events.push(new TextDecoder().decode(encodeEvent(event)));
    }
    const completed = events.at(-1)!;
    expect(completed).toMatch(/^id: \d+\nevent: completed\ndata: /);
    const data = JSON.parse(completed.split('\ndata: ')[1]!);
    expect(data.result).toMatchObject({ id: result.id, status: 'completed', exitCode: 0 });
    expect(data.result).not.toHaveProperty('stdout');
    expect(data.result).not.toHaveProperty('stderr');
  });
});
