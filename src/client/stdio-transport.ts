import { rpcTransport } from './rpc-transport.js';
import type { Transport } from './transport.js';

/**
 * The two pipes of a child process running `execution-engine serve --stdio`: a `ChildProcess`
 * fits (only the members used are listed, so the client's types need no Node types).
 */
export interface StdioChild {
  stdin: {
    readonly writable: boolean;
    write(chunk: string): unknown;
    end(): unknown;
    on(event: 'error', listener: (error: Error) => void): unknown;
  } | null;
  stdout: {
    on(event: 'data', listener: (chunk: Uint8Array | string) => void): unknown;
    off(event: 'data', listener: (chunk: Uint8Array | string) => void): unknown;
    once(event: 'end' | 'close', listener: () => void): unknown;
  } | null;
}

/**
 * A {@link Transport} to an engine sidecar: a child process running
 * `execution-engine serve --stdio` (JSON-RPC, one message per line on its stdin and stdout).
 * `close()` ends the child's stdin, which makes the sidecar shut its engine down and exit.
 * @example
 * ```ts
 * const child = spawn('npx', ['execution-engine', 'serve', '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
 * const client = new EngineClient(stdioTransport(child));
 * const result = await client.run({ command: shell('make test') });
 * await client.close(); // the sidecar exits
 * ```
 */
export function stdioTransport(child: StdioChild): Transport {
  const { stdin, stdout } = child;
  if (stdin === null || stdout === null) {
    throw new TypeError("Expected a child process spawned with stdio ['pipe', 'pipe', ...]");
  }
  return rpcTransport((receive, closed) => {
    const decoder = new TextDecoder();
    let carry = '';
    const onData = (chunk: Uint8Array | string) => {
      const text = carry + (typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true }));
      let start = 0;
      let end = text.indexOf('\n');
      while (end !== -1) {
        const line = text.slice(start, end);
        if (line.trim() !== '') {
          try {
            receive(JSON.parse(line));
          } catch {
            // Not a protocol line (a stray write to the sidecar's stdout): skipped.
          }
        }
        start = end + 1;
        end = text.indexOf('\n', start);
      }
      carry = text.slice(start);
    };
    const onEnd = () => {
      stdout.off('data', onData);
      closed();
    };
    stdout.on('data', onData);
    stdout.once('end', onEnd);
    stdout.once('close', onEnd);
    stdin.on('error', () => {}); // EPIPE after the child died: its stdout's end closes the transport
    return {
      send: (message) => {
        if (stdin.writable) stdin.write(`${JSON.stringify(message)}\n`);
      },
      close: () => {
        stdin.end();
      },
    };
  });
}
