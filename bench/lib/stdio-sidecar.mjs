#!/usr/bin/env node
/**
 * A stdio sidecar for the protocol-delivery workload: what `execution-engine serve --stdio` runs
 * (`serveProtocol` on stdin/stdout, exiting when stdin ends), with the engine configured like the
 * in-process contender (`argv[2]`: the engine config as JSON) so both retain the same output.
 * Loads the engine's built modules from beside `BENCH_ENGINE_MODULE` or dist/.
 */
import { pathToFileURL } from 'node:url';
import { engineModulePath } from './contenders.mjs';

const modulePath = engineModulePath();
const { ExecutionEngine } = await import(pathToFileURL(modulePath).href);
const { serveProtocol, stdioServerTransport } = await import(
  pathToFileURL(modulePath.replace(/index\.js$/, 'protocol.js')).href
);
const engine = new ExecutionEngine(JSON.parse(process.argv[2] ?? '{}'));
const server = serveProtocol(engine, stdioServerTransport(process.stdin, process.stdout));
process.stdin.once('end', async () => {
  await server.close();
  await engine.shutdown({ graceMs: 0 });
  process.exit(0);
});
