import { parseArgs } from 'node:util';
import type { PartialExecutionConfig } from '../config.js';
import { ExecutionEngine } from '../engine.js';
import { serve } from '../http/serve.js';
import { UsageError } from './usage.js';

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

function parse(args: string[]) {
  try {
    return parseArgs({
      args,
      strict: true,
      allowPositionals: false,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        token: { type: 'string' },
        'no-auth': { type: 'boolean' },
        journal: { type: 'string' },
        'log-dir': { type: 'string' },
        'max-concurrent': { type: 'string' },
        'no-dashboard': { type: 'boolean' },
      },
    }).values;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/**
 * `execution-engine serve`: an engine served over HTTP until SIGINT or SIGTERM, then shut down
 * gracefully (running executions get 10 s; a second signal exits at once).
 */
export async function serveCommand(args: string[]): Promise<number> {
  const flags = parse(args);
  if (flags.token !== undefined && flags['no-auth'] === true) {
    throw new UsageError('--token and --no-auth exclude each other');
  }
  const port = integerFlag('port', flags.port, 0, 65_535) ?? DEFAULT_PORT;
  const maxConcurrent = integerFlag('max-concurrent', flags['max-concurrent'], 1, 1_000_000);
  const config: PartialExecutionConfig = {};
  if (flags.journal !== undefined) config.journal = { dir: flags.journal };
  if (flags['log-dir'] !== undefined) config.logDir = flags['log-dir'];
  if (maxConcurrent !== undefined) config.maxConcurrentExecutions = maxConcurrent;
  const engine = new ExecutionEngine(config);
  await engine.recover();
  const server = await serve(engine, {
    port,
    host: flags.host,
    token: flags.token,
    auth: flags['no-auth'] === true ? 'none' : undefined,
    dashboard: flags['no-dashboard'] !== true,
  });
  const query = server.token === undefined ? '' : `?access_token=${encodeURIComponent(server.token)}`;
  process.stdout.write(`execution-engine listening on ${server.url}${query}\n`);
  if (flags.host !== undefined && !['127.0.0.1', 'localhost', '::1'].includes(flags.host)) {
    process.stderr.write(`execution-engine: listening on ${flags.host}: reachable from other machines\n`);
  }
  await new Promise<void>((resolve) => {
    let signals = 0;
    const stop = () => {
      signals++;
      if (signals === 1) {
        process.stderr.write('execution-engine: shutting down\n');
        void Promise.all([server.close(), engine.shutdown({ graceMs: 10_000 })]).then(() => resolve());
      } else {
        process.exit(130); // the engine's exit hook still terminates the process groups it started
      }
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  return 0;
}
