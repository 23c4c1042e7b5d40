import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { InvalidConfigError } from '../errors.js';
import { describeValue } from '../utils/describe-value.js';
import { createHttpHandler, type HttpHandler } from './handler.js';
import type { AnyEngine, HttpHandlerOptions } from './http-options.js';
import { toRequest, writeResponse } from './node-adapter.js';

/** Options of {@link serve}: the handler's, and where to listen. */
export interface ServeOptions extends HttpHandlerOptions {
  /** TCP port; 0 picks a free one. @default 0 */
  port?: number | undefined;
  /** Interface to bind. Anything but loopback exposes the engine to the network. @default '127.0.0.1' */
  host?: string | undefined;
}

/** A running server. */
export interface HttpServer {
  /** The base URL, e.g. `http://127.0.0.1:41234/` (with the base path). */
  url: string;
  /** The token clients must send: the one given, or the one generated. */
  token?: string;
  /** The handler it runs (its `openStreams` count). */
  handler: HttpHandler;
  /** Stops listening, ends every open stream and connection. */
  close(): Promise<void>;
}

/**
 * Serves `engine` over HTTP on `node:http`: {@link createHttpHandler}'s routes and dashboard,
 * bound to loopback by default. Without `token`, `authorize` or `auth: 'none'`, a random
 * 32-byte token is generated and returned.
 * @throws InvalidConfigError for an invalid option; rejects when the port cannot be bound.
 * @example
 * ```ts
 * const server = await serve(engine, { port: 8080 });
 * console.log(`${server.url}?access_token=${server.token}`);
 * await server.close();
 * ```
 */
export async function serve(engine: AnyEngine, options: ServeOptions = {}): Promise<HttpServer> {
  const { port = 0, host = '127.0.0.1', ...handlerOptions } = options;
  if (!Number.isSafeInteger(port) || port < 0 || port > 65_535) {
    throw new InvalidConfigError(
      'port',
      `Expected \`port\` to be an integer from 0 to 65535, got ${describeValue(port)}`,
    );
  }
  if (typeof host !== 'string' || host === '') {
    throw new InvalidConfigError(
      'host',
      `Expected \`host\` to be a host name or address, got ${describeValue(host)}`,
    );
  }
  const { token, authorize, auth } = handlerOptions;
  const generated =
    token === undefined && authorize === undefined && auth === undefined
      ? randomBytes(32).toString('base64url')
      : undefined;
  const handler = createHttpHandler(engine, { ...handlerOptions, token: token ?? generated });
  const sockets = new Set<Socket>();
  let origin = '';
  const server: Server = createServer((req, res) => {
    let request: Request;
    try {
      request = toRequest(req, res, origin);
    } catch {
      res.writeHead(400).end();
      return;
    }
    void handler(request).then(
      (response) => writeResponse(response, res),
      () => res.destroy(),
    );
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  server.on('clientError', (_error, socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  origin = `http://${shown}:${address.port}`;
  const url = `${origin}${handlerOptions.basePath ?? ''}/`;
  const served: HttpServer = {
    url,
    handler,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
  const used = token ?? generated;
  if (used !== undefined) served.token = used;
  return served;
}
