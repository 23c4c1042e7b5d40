import type { NotificationListener, Transport } from '../client/transport.js';

/**
 * A {@link Transport} usable at once whose connection comes later (a preload script must expose
 * its API synchronously, the port arrives from the main process afterwards). Requests wait for
 * the connection, and reject with its error if it fails; listeners are attached when it arrives.
 */
export function deferredTransport(connecting: Promise<Transport>): Transport {
  let transport: Transport | undefined;
  let closed = false;
  const ready = connecting.then(async (connected) => {
    if (closed) {
      await connected.close();
      throw new Error('The engine client was closed before it connected');
    }
    transport = connected;
    return connected;
  });
  ready.catch(() => {}); // reported to each request instead

  return {
    async request(method, params) {
      return (await ready).request(method, params);
    },
    onNotification(listener: NotificationListener) {
      let detach: (() => void) | undefined;
      let removed = false;
      ready.then(
        (connected) => {
          if (!removed) detach = connected.onNotification(listener);
        },
        () => {},
      );
      return () => {
        removed = true;
        detach?.();
      };
    },
    async close() {
      closed = true;
      await transport?.close();
    },
  };
}
