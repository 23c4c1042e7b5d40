import type { IncomingMessage, ServerResponse } from 'node:http';

/** Request methods that carry no body. */
const BODYLESS = new Set(['GET', 'HEAD']);

/**
 * The body of a node request as a web stream. Cancelling it (a body past the limit) stops
 * reading and discards the rest instead of destroying the socket, so the client still gets the
 * answer (413) rather than a reset.
 */
function bodyStream(req: IncomingMessage): ReadableStream<Uint8Array> {
  let open = true;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      req.on('data', (chunk: Buffer) => {
        if (!open) return;
        controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
        if ((controller.desiredSize ?? 0) <= 0) req.pause();
      });
      req.once('end', () => {
        if (open) controller.close();
        open = false;
      });
      req.once('error', (error) => {
        if (open) controller.error(error);
        open = false;
      });
    },
    pull() {
      req.resume();
    },
    cancel() {
      open = false;
      req.resume(); // discard what is left
    },
  });
}

/** A fetch `Request` for a node request; its signal aborts when the client goes away. */
export function toRequest(req: IncomingMessage, res: ServerResponse, origin: string): Request {
  const controller = new AbortController();
  res.once('close', () => controller.abort());
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item);
  }
  const method = req.method ?? 'GET';
  const path = (req.url ?? '/').startsWith('/') ? (req.url ?? '/') : `/${req.url}`;
  const init: RequestInit & { duplex?: 'half' } = { method, headers, signal: controller.signal };
  if (!BODYLESS.has(method)) {
    init.body = bodyStream(req);
    init.duplex = 'half';
  }
  return new Request(`${origin}${path}`, init);
}

/**
 * Writes a fetch `Response` to a node response, at the client's pace (waits for `drain`).
 * The client going away cancels the body: an event stream releases its subscription at once.
 */
export async function writeResponse(response: Response, res: ServerResponse): Promise<void> {
  const headers: Record<string, string | string[]> = {};
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  const cookies = response.headers.getSetCookie?.() ?? [];
  if (cookies.length > 0) headers['set-cookie'] = cookies;
  res.writeHead(response.status, headers);
  if (response.body === null) {
    res.end();
    return;
  }
  res.flushHeaders();
  const reader = response.body.getReader();
  const gone = new Promise<void>((resolve) => res.once('close', resolve));
  void gone.then(() => reader.cancel().catch(() => {}));
  // A stream that errors (a client that did not keep up) closes the connection.
  reader.closed.catch(() => res.destroy());
  try {
    while (!res.destroyed) {
      const { done, value } = await reader.read();
      if (done) break;
      if (!res.write(value)) {
        await Promise.race([new Promise((resolve) => res.once('drain', resolve)), gone]);
      }
    }
    res.end();
  } catch {
    res.destroy();
  }
}
