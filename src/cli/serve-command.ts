import type { PartialExecutionConfig } from '../config.js';
import { ExecutionEngine } from '../engine.js';
import { serve } from '../http/serve.js';
import type { EngineRegistry } from '../metrics/metrics-registry.js';
import { type Command, type CommandIo, parseOptions, UsageError } from './command.js';
import { serveStdio } from './serve-stdio.js';

/** The CLI's default port: stable, so a bookmarked dashboard URL keeps working. */
const DEFAULT_PORT = 7878;

function integerFlag(name: string, text: string | undefined, min: number, max: number): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < min || value > max) {
    throw new UsageError(`Expected --${name} to be an integer from ${min} to ${max}, got \`${text}\``);
  }
  return value;
}

function parse(args: readonly string[]) {
  return parseOptions(args, {
    port: { type: 'string' },
    host: { type: 'string' },
    token: { type: 'string' },
    'no-auth': { type: 'boolean' },
    journal: { type: 'string' },
    'log-dir': { type: 'string' },
    'max-concurrent': { type: 'string' },
    'no-dashboard': { type: 'boolean' },
    metrics: { type: 'boolean' },
    stdio: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
}

/**
 * `execution-engine serve`: an engine served over HTTP until SIGINT or SIGTERM, then shut down
 * gracefully (running executions get 10 s; a second signal exits at once).
 */
async function runServe(args: readonly string[], io: CommandIo): Promise<number> {
  const flags = parse(args);
  if (flags.help === true) {
    io.stdout.write(`Usage: execution-engine ${serveCommand.usage}\n${serveCommand.help}`);
    return 0;
  }
  if (flags.token !== undefined && flags['no-auth'] === true) {
    throw new UsageError('--token and --no-auth exclude each other');
  }
  const maxConcurrent = integerFlag('max-concurrent', flags['max-concurrent'], 1, 1_000_000);
  const config: PartialExecutionConfig = {};
  if (flags.journal !== undefined) config.journal = { dir: flags.journal };
  if (flags['log-dir'] !== undefined) config.logDir = flags['log-dir'];
  if (maxConcurrent !== undefined) config.maxConcurrentExecutions = maxConcurrent;
  if (flags.stdio === true) {
    const http = ['port', 'host', 'token', 'no-auth', 'no-dashboard', 'metrics'] as const;
    const given = http.find((flag) => flags[flag] !== undefined);
    if (given !== undefined) throw new UsageError(`--stdio serves no HTTP: --${given} does not apply`);
    return serveStdio(config, io);
  }
  const port = integerFlag('port', flags.port, 0, 65_535) ?? DEFAULT_PORT;
  const engine = new ExecutionEngine(config);
  let metrics: EngineRegistry | undefined;
  if (flags.metrics === true) {
    try {
      metrics = (await import('../metrics/metrics-registry.js')).createEngineRegistry(engine);
    } catch (error) {
      io.stderr.write(`execution-engine: --metrics: ${(error as Error).message}\n`);
      await engine.shutdown({ graceMs: 0 });
      return 1;
    }
  }
  await engine.recover();
  const server = await serve(engine, {
    port,
    host: flags.host,
    token: flags.token,
    auth: flags['no-auth'] === true ? 'none' : undefined,
    dashboard: flags['no-dashboard'] !== true,
    metrics: metrics?.registry,
  });
  const query = server.token === undefined ? '' : `?access_token=${encodeURIComponent(server.token)}`;
  io.stdout.write(`execution-engine listening on ${server.url}${query}\n`);
  if (flags.host !== undefined && !['127.0.0.1', 'localhost', '::1'].includes(flags.host)) {
    io.stderr.write(`execution-engine: listening on ${flags.host}: reachable from other machines\n`);
  }
  await new Promise<void>((resolve) => {
    let signals = 0;
    const stop = () => {
      signals++;
      if (signals === 1) {
        io.stderr.write('execution-engine: shutting down\n');
        void Promise.all([server.close(), engine.shutdown({ graceMs: 10_000 })]).then(() => {
          metrics?.stop();
          resolve();
        });
      } else {
        process.exit(130); // the engine's exit hook still terminates the process groups it started
      }
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  return 0;
}

/** `execution-engine serve`. */
export const serveCommand: Command = {
  usage:
    'serve [--port N] [--host H] [--token T | --no-auth] [--journal DIR] [--log-dir DIR] [--max-concurrent N] [--no-dashboard] [--metrics] | serve --stdio [--journal DIR] [--log-dir DIR] [--max-concurrent N]',
  summary:
    'Serve an engine over HTTP + SSE, with the dashboard, until SIGINT or SIGTERM; or, with --stdio, over JSON-RPC lines on stdin/stdout as a sidecar.',
  help: `Options:
  --port N            port to listen on (default 7878; 0 picks a free one)
  --host H            interface to bind (default 127.0.0.1: this machine only)
  --token T           the token clients send (default: a random one)
  --no-auth           serve without authentication (anyone who can connect runs commands)
  --journal DIR       durable journal directory (recovers after a crash)
  --log-dir DIR       write each execution's output to files in DIR
  --max-concurrent N  executions running at once
  --no-dashboard      do not serve the dashboard page
  --metrics           serve Prometheus metrics at /metrics (needs prom-client installed)
  --stdio             serve the JSON-RPC protocol on stdin/stdout instead (logs on stderr); exits,
                      killing its commands, when stdin ends, on SIGTERM/SIGINT or when its parent dies
`,
  run: runServe,
};
