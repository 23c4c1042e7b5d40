/**
 * The server side of a message transport: JSON-RPC message objects in and out, one at a time (an
 * array is a JSON-RPC batch). `stdioServerTransport` and `messagePortServerTransport` implement
 * it; any other channel (a WebSocket, Electron IPC) can.
 * @example
 * ```ts
 * const transport: MessageChannelTransport = {
 *   send: (message) => socket.send(JSON.stringify(message)),
 *   onMessage: (listener) => on(socket, 'message', (text) => listener(JSON.parse(text))),
 *   onClose: (listener) => on(socket, 'close', listener),
 *   close: () => socket.close(),
 * };
 * serveProtocol(engine, transport);
 * ```
 */
export interface MessageChannelTransport {
  /** Sends one JSON-RPC message object, or an array of them (a JSON-RPC batch). */
  send(message: unknown): void;
  /** Receives each message (already parsed); returns the function that stops listening. */
  onMessage(listener: (message: unknown) => void): () => void;
  /** Called once when the other side goes away; returns the function that stops listening. */
  onClose(listener: () => void): () => void;
  /** Closes the channel. */
  close(): void;
  /**
   * Bytes sent but still held by the transport (a stream's `writableLength`). With it (and
   * `onDrain`), the server stops reading the engine for a subscription while the other side does
   * not read. Optional: a port cannot tell.
   */
  bufferedAmount?(): number;
  /** Called when the held bytes have been written out; returns the function that stops listening. */
  onDrain?(listener: () => void): () => void;
}
