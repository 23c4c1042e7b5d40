import { EventEmitter } from 'node:events';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { EngineClient, messagePortTransport } from '../../src/client/index.js';
import { exec } from '../../src/index.js';
import { type MessagePortLike, messagePortServerTransport, serveProtocol } from '../../src/protocol/index.js';
import { createEngine } from '../helpers/engine.js';
import { fixture, node } from '../helpers/fixtures.js';
import { eventually } from '../helpers/processes.js';

const ports: MessagePort[] = [];
afterEach(() => {
  for (const port of ports.splice(0)) port.close();
});

function channel() {
  const { port1, port2 } = new MessageChannel();
  ports.push(port1, port2);
  return { port1, port2 };
}

/** Electron's MessagePortMain over a real port: an EventEmitter whose 'message' carries `{ data, ports }`. */
function electronStyle(port: MessagePort): MessagePortLike {
  const emitter = new EventEmitter();
  port.on('message', (data) => emitter.emit('message', { data, ports: [] }));
  port.on('close', () => emitter.emit('close'));
  return {
    postMessage: (message) => port.postMessage(message),
    on: (type, listener) => emitter.on(type, listener),
    off: (type, listener) => emitter.off(type, listener),
    start: () => {},
    close: () => port.close(),
  };
}

describe('the protocol on message ports', () => {
  it('serves an Electron-style port (an EventEmitter with `{ data }` events) and answers JSON text', async () => {
    const engine = createEngine();
    const { port1, port2 } = channel();
    serveProtocol(engine, messagePortServerTransport(electronStyle(port1)));
    const client = new EngineClient(messagePortTransport(port2));
    expect((await client.run({ command: exec(node, [fixture('print-lines.js'), '2']) })).stdout).toBe(
      'line 1\nline 2',
    );
    const answers: unknown[] = [];
    port2.on('message', (message) => answers.push(message));
    port2.postMessage('{"jsonrpc":"2.0","id":7,"method":"stats"}');
    port2.postMessage('{oops');
    await eventually(() => answers.length >= 2);
    expect(answers).toContainEqual(expect.objectContaining({ id: 7, result: expect.any(Object) }));
    expect(answers).toContainEqual(
      expect.objectContaining({ id: null, error: expect.objectContaining({ code: -32700 }) }),
    );
    await client.close();
  });

  it('a consumer that stops reading holds the server to a window of events, then gets them all', async () => {
    const engine = createEngine();
    const id = await engine.execute({ command: exec(node, [fixture('print-lines.js'), '100000']) });
    await engine.waitForCompletion(id);
    const { port1, port2 } = channel();
    const transport = messagePortServerTransport(port1);
    let posted = 0;
    const send = transport.send;
    transport.send = (message) => {
      posted += Array.isArray(message) ? message.length : 1;
      send(message);
    };
    serveProtocol(engine, transport, { flushIntervalMs: 16 });
    const client = new EngineClient(messagePortTransport(port2));
    let seen = 0;
    for await (const event of client.subscribe(id)) {
      seen++;
      if (seen === 10) {
        await new Promise((resolve) => setTimeout(resolve, 300)); // the consumer stalls
        // Of 100,000 lines: the window (1,024 single lines) and the client queue (256), not the output.
        expect(posted).toBeLessThan(2_000);
      }
      if (event.type === 'completed') break;
    }
    expect(seen).toBeGreaterThan(100_000);
    await client.close();
  });

  it('closing the port releases every subscription at once, and the client sees the connection end', async () => {
    const engine = createEngine();
    const { port1, port2 } = channel();
    const server = serveProtocol(engine, messagePortServerTransport(port1));
    const client = new EngineClient(messagePortTransport(port2));
    const id = await client.execute({ command: exec(node, [fixture('print-then-wait.js'), '1']) });
    const iterator = client.subscribe(id)[Symbol.asyncIterator]();
    await iterator.next();
    expect(server.openSubscriptions).toBe(1);
    const waiting = client.waitForCompletion(id).catch((error: unknown) => error);
    port2.close();
    await eventually(() => server.openSubscriptions === 0, 2000);
    expect(server.openSubscriptions).toBe(0);
    expect(await waiting).toMatchObject({ code: 'CONNECTION_CLOSED' });
    await expect(client.stats()).rejects.toMatchObject({ code: 'CONNECTION_CLOSED' });
  });
});
