import { MessageChannel } from 'node:worker_threads';
import { EngineClient, httpTransport, messagePortTransport } from '../../src/client/index.js';
import { serve } from '../../src/http/index.js';
import { messagePortServerTransport, serveProtocol } from '../../src/protocol/index.js';
import { createEngine } from '../helpers/engine.js';
import { type EngineApi, engineApiConformance } from './conformance.js';

engineApiConformance('the engine itself', {
  remote: false,
  open: async () => ({ api: createEngine() as unknown as EngineApi, close: async () => {} }),
});

engineApiConformance('EngineClient over HTTP', {
  remote: true,
  open: async () => {
    const engine = createEngine();
    const server = await serve(engine);
    const client = new EngineClient(httpTransport({ url: server.url, token: server.token }));
    return {
      api: client,
      close: async () => {
        await client.close();
        await server.close();
      },
    };
  },
});

engineApiConformance('EngineClient over a MessagePort (flushIntervalMs 16)', {
  remote: true,
  open: async () => {
    const engine = createEngine();
    const { port1, port2 } = new MessageChannel();
    const server = serveProtocol(engine, messagePortServerTransport(port1), { flushIntervalMs: 16 });
    const client = new EngineClient(messagePortTransport(port2));
    return {
      api: client,
      close: async () => {
        await client.close();
        await server.close();
      },
    };
  },
});
