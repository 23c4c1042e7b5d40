/**
 * A message port as the three runtimes have it: Node's `worker_threads` `MessagePort` (an
 * EventTarget with `on`), the browser's `MessagePort` (`onmessage`, `addEventListener`) and
 * Electron's `MessagePortMain` (an EventEmitter whose `message` event carries `{ data, ports }`).
 * Only the members used here are listed; each runtime's port fits.
 */
export interface MessagePortLike {
  postMessage(message: unknown): void;
  start?(): void;
  close?(): void;
  addEventListener?(type: string, listener: (event: unknown) => void): void;
  removeEventListener?(type: string, listener: (event: unknown) => void): void;
  on?(type: string, listener: (event: unknown) => void): unknown;
  off?(type: string, listener: (event: unknown) => void): unknown;
  onmessage?: ((event: unknown) => void) | null;
}

/** A port's messages and its end, as plain callbacks; `detach` removes the listeners. */
export interface AttachedPort {
  post(message: unknown): void;
  detach(): void;
  close(): void;
}

/** The message of an event: `event.data` for a DOM `MessageEvent` or Electron's `{ data, ports }`. */
function dataOf(event: unknown, wrapped: boolean): unknown {
  return wrapped ? (event as { data?: unknown } | null)?.data : event;
}

/**
 * Listens to `port`'s messages and its `close` event, whichever API it has, and starts it.
 * Pure JavaScript with no Node import: it runs in browsers.
 */
export function attachPort(
  port: MessagePortLike,
  onMessage: (message: unknown) => void,
  onClose: () => void,
): AttachedPort {
  const message = (event: unknown) => onMessage(dataOf(event, true));
  const close = () => onClose();
  let detach: () => void;
  if (typeof port.addEventListener === 'function') {
    // Node's worker_threads port and the browser's: DOM events with `data`.
    port.addEventListener('message', message);
    port.addEventListener('close', close);
    detach = () => {
      port.removeEventListener?.('message', message);
      port.removeEventListener?.('close', close);
    };
  } else if (typeof port.on === 'function') {
    // Electron's MessagePortMain: an EventEmitter whose 'message' carries `{ data, ports }`.
    port.on('message', message);
    port.on('close', close);
    detach = () => {
      port.off?.('message', message);
      port.off?.('close', close);
    };
  } else {
    port.onmessage = message;
    detach = () => {
      port.onmessage = null;
    };
  }
  port.start?.();
  return {
    post: (value) => port.postMessage(value),
    detach,
    close: () => {
      detach();
      port.close?.();
    },
  };
}
