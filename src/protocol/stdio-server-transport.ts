import type { Readable, Writable } from 'node:stream';
import { InvalidConfigError } from '../errors.js';
import { describeValue } from '../utils/describe-value.js';
import { BoundedLines } from './json-lines.js';
import { protocolErrorMessage, RPC_CODES } from './json-rpc.js';
import type { MessageChannelTransport } from './message-transport.js';

/** Options of {@link stdioServerTransport}. */
export interface StdioServerTransportOptions {
  /**
   * The longest line (one message) read, in bytes. A longer one is dropped as it arrives, never
   * buffered whole, and answered with a JSON-RPC error (`-32600`, `data.code` `PAYLOAD_TOO_LARGE`).
   * @default 1048576
   */
  maxMessageBytes?: number | undefined;
}

/**
 * The server side of the protocol on two byte streams: one JSON-RPC message per line (JSON lines)
 * read from `input` and written to `output`. Malformed JSON is answered with a parse error
 * (`-32700`); a line over `maxMessageBytes` with `-32600`; neither stops the transport. The
 * output's unsent bytes (`writableLength`) tell the server when the client stops reading. It
 * closes when `input` ends or `output` fails (EPIPE).
 * @throws InvalidConfigError for an invalid option.
 * @example
 * ```ts
 * serveProtocol(engine, stdioServerTransport(process.stdin, process.stdout));
 * ```
 */
export function stdioServerTransport(
  input: Readable,
  output: Writable,
  options: StdioServerTransportOptions = {},
): MessageChannelTransport {
  const maxBytes = options.maxMessageBytes ?? 1024 * 1024;
  if (!Number.isSafeInteger(maxBytes) || maxBytes < 1) {
    throw new InvalidConfigError(
      'maxMessageBytes',
      `Expected \`maxMessageBytes\` to be a positive integer, got ${describeValue(maxBytes)}`,
    );
  }
  const messageListeners = new Set<(message: unknown) => void>();
  const closeListeners = new Set<() => void>();
  let closed = false;
  let corked = false;
  const write = (message: unknown) => {
    if (closed || !output.writable) return;
    if (!corked) {
      // The messages of one tick go out in one write (one line per event would be one syscall each).
      corked = true;
      output.cork();
      process.nextTick(() => {
        corked = false;
        output.uncork();
      });
    }
    output.write(`${JSON.stringify(message)}\n`);
  };
  const lines = new BoundedLines(maxBytes, {
    line: (text) => {
      let message: unknown;
      try {
        message = JSON.parse(text);
      } catch {
        write(
          protocolErrorMessage(
            null,
            RPC_CODES.PARSE_ERROR,
            'PARSE_ERROR',
            'Expected a JSON-RPC message, got malformed JSON',
          ),
        );
        return;
      }
      for (const listener of messageListeners) listener(message);
    },
    tooLong: (bytes) =>
      write(
        protocolErrorMessage(
          null,
          RPC_CODES.INVALID_REQUEST,
          'PAYLOAD_TOO_LARGE',
          `Expected a message of at most ${maxBytes} bytes, got ${bytes} bytes (dropped)`,
        ),
      ),
  });
  const onData = (chunk: Uint8Array | string) =>
    lines.push(typeof chunk === 'string' ? new TextEncoder().encode(chunk) : chunk);
  const end = () => {
    if (closed) return;
    closed = true;
    input.off('data', onData);
    input.off('end', end);
    input.off('close', end);
    output.off('close', end);
    input.pause();
    for (const listener of closeListeners) listener();
  };
  input.on('data', onData);
  input.once('end', end);
  input.once('close', end);
  output.on('error', end); // EPIPE: the reader is gone (kept: a later error must not crash the host)
  output.once('close', end);
  return {
    send: write,
    onMessage: (listener) => {
      messageListeners.add(listener);
      return () => messageListeners.delete(listener);
    },
    onClose: (listener) => {
      closeListeners.add(listener);
      return () => closeListeners.delete(listener);
    },
    close: end,
    bufferedAmount: () => output.writableLength,
    onDrain: (listener) => {
      output.on('drain', listener);
      return () => output.off('drain', listener);
    },
  };
}
