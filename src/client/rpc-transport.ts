import { toBase64 } from './base64.js';
import { isErrorData, RemoteError, rebuildError } from './remote-errors.js';
import type { NotificationListener, Transport } from './transport.js';

/** A message channel as the JSON-RPC transport uses it: posts message objects, closes. */
export interface RpcChannel {
  send(message: unknown): void;
  close(): void;
}

/**
 * Events a subscription's client may hold unacknowledged (the server waits beyond that): fewer
 * for `output` batches (up to thousands of lines each) than for single lines.
 */
const WINDOW = { each: 1024, batched: 64 } as const;
/** Methods whose answer is a subscription id. */
const SUBSCRIBING = new Set(['subscribe', 'subscribePipeline', 'subscribeEvents']);

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
  method: string;
  /** The window a subscribing request asked for. */
  window: number;
}

/** The delivery of one subscription's notifications, in order, each after the previous one's listeners. */
interface Delivery {
  chain: Promise<void>;
  /** Its id was just answered: let the caller register it before the first event. */
  fresh: boolean;
  delivered: number;
  /** Acknowledge after this many delivered events (a quarter of its window). */
  ackEvery: number;
}

const closedError = () =>
  new RemoteError({ code: 'CONNECTION_CLOSED', message: 'The connection to the engine is closed' });

const macrotask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

function toError(error: unknown): Error {
  const data = (error as { data?: unknown; message?: unknown } | null)?.data;
  if (isErrorData(data)) return rebuildError(data);
  const message = String((error as { message?: unknown } | null)?.message ?? 'JSON-RPC error');
  return new RemoteError({ code: 'RPC_ERROR', message });
}

/**
 * A {@link Transport} speaking the JSON-RPC protocol of `serveProtocol` over any message channel:
 * requests answered by id, `event` and `subscriptionError` notifications delivered per
 * subscription in order, acknowledged (`ack`) as the consumer takes them so the server never sends
 * more than a window ahead. `open` wires the channel: it gets the function receiving each message
 * (or batch array) and the one to call when the channel closes. Browser-safe.
 */
export function rpcTransport(
  open: (receive: (message: unknown) => void, closed: () => void) => RpcChannel,
): Transport {
  const listeners = new Set<NotificationListener>();
  const pending = new Map<number, Pending>();
  const deliveries = new Map<string, Delivery>();
  let nextId = 1;
  let closed = false;

  const deliveryOf = (subscription: string): Delivery => {
    let delivery = deliveries.get(subscription);
    if (delivery === undefined) {
      delivery = { chain: Promise.resolve(), fresh: false, delivered: 0, ackEvery: WINDOW.batched / 4 };
      deliveries.set(subscription, delivery);
    }
    return delivery;
  };

  const deliver = (subscription: string, method: string, params: unknown, last: boolean) => {
    const delivery = deliveryOf(subscription);
    delivery.chain = delivery.chain.then(async () => {
      if (delivery.fresh) {
        delivery.fresh = false;
        await macrotask();
      }
      for (const listener of listeners) await listener(method, params);
      if (last) {
        deliveries.delete(subscription);
        return;
      }
      delivery.delivered++;
      if (delivery.delivered >= delivery.ackEvery && !closed) {
        channel.send({ jsonrpc: '2.0', method: 'ack', params: { subscription, count: delivery.delivered } });
        delivery.delivered = 0;
      }
    });
    delivery.chain.catch(() => {});
  };

  const receiveOne = (message: unknown) => {
    if (typeof message !== 'object' || message === null) return;
    const { id, result, error, method, params } = message as Record<string, unknown>;
    if (typeof method === 'string') {
      const subscription = String((params as { subscription?: unknown } | null)?.subscription);
      if (method === 'subscriptionError') {
        const data = (params as { error?: unknown }).error;
        const rebuilt = isErrorData(data) ? rebuildError(data) : closedError();
        deliver(subscription, method, { subscription, error: rebuilt }, true);
      } else {
        deliver(subscription, method, params, false);
      }
      return;
    }
    const call = typeof id === 'number' ? pending.get(id) : undefined;
    if (call === undefined) return;
    pending.delete(id as number);
    if (error !== undefined) {
      call.reject(toError(error));
      return;
    }
    if (SUBSCRIBING.has(call.method)) {
      const delivery = deliveryOf(String(result));
      delivery.fresh = true;
      delivery.ackEvery = call.window / 4;
    }
    call.resolve(result === null ? undefined : result);
  };

  const shut = () => {
    if (closed) return;
    closed = true;
    for (const call of pending.values()) call.reject(closedError());
    pending.clear();
    for (const subscription of [...deliveries.keys()]) {
      deliver(subscription, 'subscriptionError', { subscription, error: closedError() }, true);
    }
  };

  const channel = open((message) => {
    if (Array.isArray(message)) for (const one of message) receiveOne(one);
    else receiveOne(message);
  }, shut);

  return {
    request(method, params) {
      if (closed) return Promise.reject(closedError());
      const sent: Record<string, unknown> = { ...params };
      if (method === 'writeInput' && sent.data instanceof Uint8Array) {
        sent.data = toBase64(sent.data);
        sent.encoding = 'base64';
      }
      const window = sent.lines === 'batched' ? WINDOW.batched : WINDOW.each;
      if (SUBSCRIBING.has(method)) sent.window = window;
      if (method === 'unsubscribe') deliveries.delete(String(params.subscription));
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject, method, window });
        try {
          channel.send({ jsonrpc: '2.0', id, method, params: sent });
        } catch (error) {
          pending.delete(id);
          reject(error);
        }
      });
    },
    onNotification(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      shut();
      listeners.clear();
      try {
        channel.close();
      } catch {}
    },
  };
}
