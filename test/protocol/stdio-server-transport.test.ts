import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { exec, InvalidConfigError } from '../../src/index.js';
import { serveProtocol, stdioServerTransport } from '../../src/protocol/index.js';
import { createEngine } from '../helpers/engine.js';
import { fixture, node } from '../helpers/fixtures.js';
import { eventually } from '../helpers/processes.js';
import type { Message } from './memory-transport.js';

/** The server on two in-memory streams; `answers` parses what it wrote (while `reading`). */
function setup(options?: Parameters<typeof stdioServerTransport>[2]) {
  const engine = createEngine({ maxOutputSizeBytes: 64 * 1024 * 1024 }); // every line retained
  const input = new PassThrough();
  const output = new PassThrough();
  const server = serveProtocol(engine, stdioServerTransport(input, output, options));
  const answers: Message[] = [];
  let carry = '';
  const read = () =>
    output.on('data', (chunk) => {
      const text = carry + String(chunk);
      const lines = text.split('\n');
      carry = lines.pop()!;
      for (const line of lines) answers.push(JSON.parse(line) as Message);
    });
  return { engine, input, output, server, answers, read };
}

describe('stdioServerTransport', () => {
  it('answers a line over the limit and malformed JSON with errors, and goes on serving', async () => {
    const { input, answers, read } = setup();
    read();
    const huge = `{"jsonrpc":"2.0","id":1,"method":"stats","params":{"pad":"${'x'.repeat(10 * 1024 * 1024)}"}}\n`;
    for (let offset = 0; offset < huge.length; offset += 64 * 1024)
      input.write(huge.slice(offset, offset + 64 * 1024));
    input.write('{not json\n\n');
    input.write('{"jsonrpc":"2.0","id":2,"method":"stats"}\n');
    await eventually(() => answers.length === 3, 10_000);
    expect(answers[0]).toMatchObject({
      id: null,
      error: { code: -32600, data: { code: 'PAYLOAD_TOO_LARGE' } },
    });
    expect(answers[0]?.error?.message).toMatch(
      /^Expected a message of at most 1048576 bytes, got \d{8} bytes \(dropped\)$/,
    );
    expect(answers[1]).toMatchObject({ id: null, error: { code: -32700, data: { code: 'PARSE_ERROR' } } });
    expect(answers[2]).toMatchObject({ id: 2, result: { running: 0 } });
  });

  it('holds little unsent output while the client does not read, then delivers everything', async () => {
    const { engine, input, output, answers, read } = setup();
    // 200,000 lines of 100 characters: 20 MB of output.
    const id = await engine.execute({
      command: exec(node, [fixture('print-lines.js'), '200000', 'stdout', '100']),
    });
    input.write(
      `${JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'subscribe', params: { id, lines: 'batched' } })}\n`,
    );
    await engine.waitForCompletion(id);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(output.writableLength).toBeLessThan(3 * 1024 * 1024); // paused at the high water, not 20 MB
    read();
    await eventually(() => answers.at(-1)?.params?.event?.type === 'completed', 30_000);
    const count = answers
      .filter((m) => m.params?.event?.type === 'output')
      .reduce((sum, m) => sum + (m.params!.event!.lines as string[]).length, 0);
    expect(count).toBe(200_000);
  });

  it('closes when its input ends, releasing the subscriptions', async () => {
    const { engine, input, server } = setup();
    const id = await engine.execute({ command: exec(node, [fixture('print-then-wait.js'), '1']) });
    input.write(`${JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'subscribe', params: { id } })}\n`);
    await eventually(() => server.openSubscriptions === 1);
    input.end();
    await eventually(() => server.openSubscriptions === 0);
    expect(server.openSubscriptions).toBe(0);
  });

  it('checks maxMessageBytes', () => {
    expect(() => stdioServerTransport(new PassThrough(), new PassThrough(), { maxMessageBytes: 0 })).toThrow(
      InvalidConfigError,
    );
  });
});
