import { once } from 'node:events';
import { MessageChannel } from 'node:worker_threads';
import { EngineClient, httpTransport, messagePortTransport, stdioTransport } from '../../src/client/index.js';
import { serve } from '../../src/http/index.js';
import { messagePortServerTransport, serveProtocol } from '../../src/protocol/index.js';
import { createEngine } from '../helpers/engine.js';
import { startSidecar, useBuiltCli } from '../helpers/sidecar.js';
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

const cli = useBuiltCli();

engineApiConformance('EngineClient over stdio (the sidecar as a child process)', {
  remote: true,
  open: async () => {
    const child = startSidecar(cli(), ['serve', '--stdio']);
    const client = new EngineClient(stdioTransport(child));
    return {
      api: client,
      close: async () => {
        const exited = once(child, 'exit');
        await client.close(); // ends its stdin: the sidecar shuts down and exits
        await exited;
      },
    };
  },
});
