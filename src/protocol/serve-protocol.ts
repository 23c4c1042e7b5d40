import { isPlainObject } from '../utils/checks.js';
import {
  errorMessage,
  ProtocolError,
  protocolErrorMessage,
  RPC_CODES,
  type RpcId,
  resultMessage,
  toRpcError,
} from './json-rpc.js';
import type { MessageChannelTransport } from './message-transport.js';
import { METHODS } from './methods.js';
import { Outbox } from './outbox.js';
import { optionalCount, readParams } from './params.js';
import { type AnyEngine, type ProtocolServerOptions, resolveProtocolOptions } from './serve-options.js';
import { Subscriptions } from './subscriptions.js';
import { jsonValue } from './wire-event.js';

/** A running protocol server on one transport. */
export interface ProtocolServer {
  /** Subscriptions open now (each holds an engine subscription or listener). */
  readonly openSubscriptions: number;
  /** Stops serving: ends every subscription and wait, drops unsent data, closes the transport. */
  close(): Promise<void>;
}

const isId = (value: unknown): value is RpcId =>
  value === null || typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value));

/**
 * Serves `engine` over `transport` with JSON-RPC 2.0: the engine's method names and parameters
 * (`execute`, `subscribe`, `startPipeline`, ... see docs/protocol.md), engine errors as JSON-RPC
 * errors whose `data` is `{ code, message, field?, executionId? }`, subscriptions as `event`
 * notifications. Nothing a client sends can crash the host. When the transport closes, every
 * subscription and wait of that client is released at once.
 * @throws InvalidConfigError for an invalid option.
 * @example
 * ```ts
 * import { Worker, MessageChannel } from 'node:worker_threads';
 * import { serveProtocol, messagePortServerTransport } from 'execution-engine/protocol';
 *
 * const { port1, port2 } = new MessageChannel();
 * const server = serveProtocol(engine, messagePortServerTransport(port1), { flushIntervalMs: 16 });
 * new Worker('./ui-worker.js', { workerData: { port: port2 }, transferList: [port2] });
 * // later: await server.close();
 * ```
 */
export function serveProtocol(
  engine: AnyEngine,
  transport: MessageChannelTransport,
  options?: ProtocolServerOptions,
): ProtocolServer {
  const resolved = resolveProtocolOptions(options);
  const outbox = new Outbox(transport, resolved.flushIntervalMs);
  const subscriptions = new Subscriptions(engine, outbox, resolved.maxPendingBytes);
  const abort = new AbortController();
  const context = { engine, subscriptions, options: resolved, signal: abort.signal };
  let closing: Promise<void> | undefined;

  /** One message: its answer, or `undefined` for a notification. */
  const handle = async (message: unknown): Promise<unknown> => {
    if (!isPlainObject(message) || message.jsonrpc !== '2.0' || typeof message.method !== 'string') {
      const id = isPlainObject(message) && isId(message.id) ? message.id : null;
      return protocolErrorMessage(
        id,
        RPC_CODES.INVALID_REQUEST,
        'INVALID_REQUEST',
        'Expected a JSON-RPC 2.0 request: { jsonrpc: "2.0", method, params?, id? }',
      );
    }
    const answers = 'id' in message;
    const id = isId(message.id) ? message.id : null;
    try {
      if (answers && !isId(message.id)) {
        throw new ProtocolError(RPC_CODES.INVALID_REQUEST, {
          code: 'INVALID_REQUEST',
          message: 'Expected `id` to be a string, a number or null',
        });
      }
      const params = readParams(message.params);
      if (message.method === 'ack') {
        subscriptions.ack(String(params.subscription), optionalCount(params, 'count') ?? 0);
        return answers ? resultMessage(id, null) : undefined;
      }
      const method = Object.hasOwn(METHODS, message.method) ? METHODS[message.method] : undefined;
      if (method === undefined) {
        const text = `No method \`${message.method.slice(0, 60)}\``;
        throw new ProtocolError(RPC_CODES.METHOD_NOT_FOUND, { code: 'METHOD_NOT_FOUND', message: text });
      }
      const result = jsonValue(await method(params, context));
      return answers ? resultMessage(id, result) : undefined;
    } catch (error) {
      return answers ? errorMessage(id, toRpcError(error)) : undefined;
    }
  };

  const onMessage = (message: unknown) => {
    if (closing !== undefined) return;
    if (!Array.isArray(message)) {
      void handle(message).then((answer) => answer !== undefined && outbox.respond(answer));
      return;
    }
    if (message.length === 0) {
      outbox.respond(
        protocolErrorMessage(
          null,
          RPC_CODES.INVALID_REQUEST,
          'INVALID_REQUEST',
          'Expected a non-empty batch',
        ),
      );
      return;
    }
    void Promise.all(message.map(handle)).then((answers) => {
      const sent = answers.filter((answer) => answer !== undefined);
      if (sent.length > 0) outbox.respond(sent);
    });
  };

  let stopClose = () => {};
  const stopMessages = transport.onMessage(onMessage);
  const shutdown = (): Promise<void> => {
    closing ??= (async () => {
      stopMessages();
      stopClose();
      abort.abort();
      outbox.close();
      await subscriptions.closeAll();
    })();
    return closing;
  };
  stopClose = transport.onClose(() => void shutdown());

  return {
    get openSubscriptions() {
      return subscriptions.size;
    },
    async close() {
      const done = shutdown();
      try {
        transport.close();
      } catch {}
      await done;
    },
  };
}
