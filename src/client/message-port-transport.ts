import { attachPort, type MessagePortLike } from '../protocol/message-port.js';
import { rpcTransport } from './rpc-transport.js';
import type { Transport } from './transport.js';

/**
 * A {@link Transport} over a message port served by `serveProtocol` with
 * `messagePortServerTransport`: Node's `worker_threads` `MessagePort`, a browser `MessagePort`
 * (an Electron renderer, a web worker) or Electron's `MessagePortMain`. Accepts the server's
 * batch arrays (`flushIntervalMs`). No Node import: it runs in browsers.
 * @example
 * ```ts
 * window.onmessage = (event) => {
 *   if (event.data === 'engine-port') {
 *     const client = new EngineClient(messagePortTransport(event.ports[0]));
 *   }
 * };
 * ```
 */
export function messagePortTransport(port: MessagePortLike): Transport {
  return rpcTransport((receive, closed) => {
    const attached = attachPort(port, receive, closed);
    return {
      send: (message) => attached.post(message),
      close: () => attached.close(),
    };
  });
}
