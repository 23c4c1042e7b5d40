import type { ExecutionEngine } from '../engine.js';
import { messagePortServerTransport, type ProtocolServer, serveProtocol } from '../protocol/index.js';
import type { ExecutionRequest } from '../types.js';
import type { IpcMainEventLike, IpcMainLike, MessageChannelMainConstructor } from './electron-shapes.js';
import { messageChannelMain } from './message-channel-main.js';
import {
  checkMilliseconds,
  checkName,
  checkOptionalFunction,
  checkShape,
  DEFAULT_CHANNEL,
} from './option-checks.js';

/** Options of {@link exposeEngine}. */
export interface ExposeEngineOptions {
  /** Electron's `ipcMain`. */
  ipcMain: IpcMainLike;
  /** The IPC channel a preload's {@link exposeEngineClient} asks on. @default 'execution-engine' */
  channel?: string | undefined;
  /**
   * Notifications (events, output lines) are gathered for this long and sent as one message, so
   * a command printing a million lines costs about one IPC message per frame, not a million.
   * `0` sends each at once.
   * @default 16
   */
  flushIntervalMs?: number | undefined;
  /** Electron's `MessageChannelMain`. @default the `electron` module's, loaded on first request */
  MessageChannelMain?: MessageChannelMainConstructor | undefined;
  /**
   * Refuses an `execute`/`run` request (or a pipeline step) with `FORBIDDEN` and the returned
   * reason: whoever holds a port can otherwise run any command with the app's rights.
   * @default allow all
   */
  allowRequest?: ((request: ExecutionRequest) => true | string) | undefined;
  /**
   * Decides whether a request may get a port, e.g. by `event.senderFrame.url`; a refused request
   * gets no answer. @default every sender
   */
  allowSender?: ((event: IpcMainEventLike) => boolean) | undefined;
}

/** What {@link exposeEngine} returns. */
export interface ExposedEngine {
  /** Ports being served now: one per renderer (or reload) that asked and has not gone away. */
  readonly connections: number;
  /** Subscriptions the renderers hold open now, over every port (`subscribe`, `on`, ...). */
  readonly openSubscriptions: number;
  /** Stops answering requests and closes every served port (their subscriptions end). */
  close(): Promise<void>;
}

interface Connection {
  port: { close(): void };
  server: ProtocolServer;
}

/**
 * Serves the engine to renderers in Electron's main process. A renderer's preload asks on
 * `channel` (see {@link exposeEngineClient}); each request is answered with a port of a new
 * `MessageChannelMain` on which the engine's protocol (JSON-RPC) is served, output coalesced per
 * frame. A port whose renderer goes away (closed, reloaded, crashed) releases its subscriptions.
 * @throws InvalidConfigError naming the option (`ipcMain`, `channel`, `flushIntervalMs`,
 * `MessageChannelMain`, `allowRequest`, `allowSender`).
 * @example
 * ```ts
 * import { app, ipcMain } from 'electron';
 * import { exposeEngine, quitAfterShutdown } from 'execution-engine/electron';
 *
 * const engine = new ExecutionEngine();
 * exposeEngine(engine, {
 *   ipcMain,
 *   allowRequest: (request) => request.command.type === 'exec' || 'only exec commands',
 * });
 * quitAfterShutdown(app, engine);
 * ```
 */
// biome-ignore lint/suspicious/noExplicitAny: serves engines of any metadata type
export function exposeEngine(engine: ExecutionEngine<any>, options: ExposeEngineOptions): ExposedEngine {
  const ipcMain = checkShape('ipcMain', options?.ipcMain, ['on', 'removeListener'], "Electron's ipcMain");
  const channel = checkName('channel', options.channel, DEFAULT_CHANNEL);
  const flushIntervalMs = checkMilliseconds('flushIntervalMs', options.flushIntervalMs, 0, 16);
  const allowSender = checkOptionalFunction('allowSender', options.allowSender) ?? (() => true);
  const allowRequest = checkOptionalFunction('allowRequest', options.allowRequest);
  const serveOptions = allowRequest === undefined ? { flushIntervalMs } : { flushIntervalMs, allowRequest };
  const channelConstructor = messageChannelMain(options.MessageChannelMain);
  const connections = new Set<Connection>();
  let closed = false;

  const answer = async (event: IpcMainEventLike, nonce: unknown): Promise<void> => {
    const MessageChannelMain = await channelConstructor();
    if (closed) return;
    const { port1, port2 } = new MessageChannelMain();
    const transport = messagePortServerTransport(port1);
    const connection: Connection = {
      port: port1,
      server: serveProtocol(engine, transport, serveOptions),
    };
    connections.add(connection);
    transport.onClose(() => {
      if (connections.delete(connection)) void connection.server.close();
    });
    event.sender.postMessage(channel, { nonce }, [port2]);
  };

  const onRequest = (event: IpcMainEventLike, request?: unknown): void => {
    if (closed || !allowSender(event)) return;
    const nonce = (request as { nonce?: unknown } | null | undefined)?.nonce;
    answer(event, typeof nonce === 'string' ? nonce.slice(0, 100) : undefined).catch((error: unknown) => {
      console.error(`execution-engine: could not answer on \`${channel}\`:`, error);
    });
  };
  ipcMain.on(channel, onRequest);

  return {
    get connections() {
      return connections.size;
    },
    get openSubscriptions() {
      let open = 0;
      for (const { server } of connections) open += server.openSubscriptions;
      return open;
    },
    async close() {
      if (closed) return;
      closed = true;
      ipcMain.removeListener(channel, onRequest);
      const all = [...connections];
      connections.clear();
      await Promise.all(
        all.map(async ({ port, server }) => {
          await server.close();
          port.close();
        }),
      );
    },
  };
}
