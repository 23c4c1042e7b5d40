import { protocolErrorMessage, RPC_CODES } from './json-rpc.js';
import { attachPort, type MessagePortLike } from './message-port.js';
import type { MessageChannelTransport } from './message-transport.js';

/** The answer to a message that is not JSON. */
export function parseError(): unknown {
  return protocolErrorMessage(
    null,
    RPC_CODES.PARSE_ERROR,
    'PARSE_ERROR',
    'Expected a JSON-RPC message, got malformed JSON',
  );
}

/**
 * The server side of the protocol on a message port: one JSON-RPC message (or batch array) per
 * `postMessage`, passed by structured clone. Takes Node's `worker_threads` `MessagePort`, a
 * browser `MessagePort` or Electron's `MessagePortMain`. A message posted as JSON text is parsed.
 * @example
 * ```ts
 * const { port1, port2 } = new MessageChannelMain(); // Electron main process
 * serveProtocol(engine, messagePortServerTransport(port1), { flushIntervalMs: 16 });
 * window.webContents.postMessage('engine-port', null, [port2]);
 * ```
 */
export function messagePortServerTransport(port: MessagePortLike): MessageChannelTransport {
  const messageListeners = new Set<(message: unknown) => void>();
  const closeListeners = new Set<() => void>();
  let closed = false;
  const attached = attachPort(
    port,
    (message) => {
      let value = message;
      if (typeof message === 'string') {
        try {
          value = JSON.parse(message);
        } catch {
          attached.post(parseError());
          return;
        }
      }
      for (const listener of messageListeners) listener(value);
    },
    () => {
      if (closed) return;
      closed = true;
      attached.detach();
      for (const listener of closeListeners) listener();
    },
  );
  return {
    send: (message) => {
      if (!closed) attached.post(message);
    },
    onMessage: (listener) => {
      messageListeners.add(listener);
      return () => messageListeners.delete(listener);
    },
    onClose: (listener) => {
      closeListeners.add(listener);
      return () => closeListeners.delete(listener);
    },
    close: () => {
      if (closed) return;
      closed = true;
      attached.close();
      for (const listener of closeListeners) listener();
    },
  };
}
