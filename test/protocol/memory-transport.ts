import type { MessageChannelTransport } from '../../src/protocol/index.js';
import { eventually } from '../helpers/processes.js';

/** A JSON-RPC message as the tests read them. */
export interface Message {
  id?: number | string | null;
  method?: string;
  params?: {
    subscription?: string;
    event?: { type: string; seq: number; [key: string]: unknown };
    error?: unknown;
  };
  result?: unknown;
  error?: { code: number; message: string; data: Record<string, unknown> };
}

/**
 * A transport in memory: `deliver` plays the client, `sent` keeps every message the server sent
 * (and `batches` every array it sent as one), `buffered` is what `bufferedAmount` reports.
 */
export function memoryTransport() {
  let onMessage: ((message: unknown) => void) | undefined;
  let onClose: (() => void) | undefined;
  let nextId = 1;
  const state = {
    sent: [] as Message[],
    batches: 0,
    closed: false,
    buffered: 0,
  };
  const transport: MessageChannelTransport = {
    send: (message) => {
      if (Array.isArray(message)) {
        state.batches++;
        state.sent.push(...(message as Message[]));
      } else state.sent.push(message as Message);
    },
    onMessage: (listener) => {
      onMessage = listener;
      return () => {
        onMessage = undefined;
      };
    },
    onClose: (listener) => {
      onClose = listener;
      return () => {
        onClose = undefined;
      };
    },
    close: () => {
      state.closed = true;
    },
    bufferedAmount: () => state.buffered,
    onDrain: () => () => {},
  };
  const answerTo = async (id: number | string | null): Promise<Message> => {
    let found: Message | undefined;
    await eventually(() => {
      found = state.sent.find((message) => message.id === id && message.method === undefined);
      return found !== undefined;
    }, 10_000);
    if (found === undefined) throw new Error(`no answer to ${id}`);
    return found;
  };
  return {
    transport,
    state,
    deliver: (message: unknown) => onMessage?.(message),
    /** The other side went away. */
    hangUp: () => onClose?.(),
    /** Sends a request; resolves with its answer. */
    call: (method: string, params?: unknown): Promise<Message> => {
      const id = nextId++;
      onMessage?.({ jsonrpc: '2.0', id, method, params });
      return answerTo(id);
    },
    answerTo,
    /** The `event` notifications of `subscription` so far. */
    events: (subscription: unknown) =>
      state.sent
        .filter((message) => message.method === 'event' && message.params?.subscription === subscription)
        .map((message) => message.params!.event!),
  };
}
