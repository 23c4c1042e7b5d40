import type { PartialExecutionConfig } from '../config.js';
import { ExecutionEngine } from '../engine.js';
import { serveProtocol } from '../protocol/serve-protocol.js';
import { stdioServerTransport } from '../protocol/stdio-server-transport.js';
import type { CommandIo } from './command.js';

/** How often the sidecar checks that its parent process is still there. */
const PARENT_POLL_MS = 500;

/**
 * `execution-engine serve --stdio`: the protocol as JSON lines on stdin/stdout, logs on stderr
 * only. A sidecar never outlives its app: it shuts the engine down (cancelling every execution,
 * killing their process trees) and exits when stdin ends, stdout breaks (EPIPE), on SIGTERM or
 * SIGINT, and when its parent process dies (its `ppid` changes).
 */
export async function serveStdio(config: PartialExecutionConfig, io: CommandIo): Promise<number> {
  const parent = process.ppid;
  const engine = new ExecutionEngine(config);
  await engine.recover();
  const server = serveProtocol(engine, stdioServerTransport(process.stdin, process.stdout));
  io.stderr.write(`execution-engine: serving the protocol on stdio (pid ${process.pid})\n`);
  let signals = 0;
  const reason = await new Promise<string>((resolve) => {
    // Listeners stay on (not `once`): the engine's exit hook would re-raise a signal nobody handles.
    const onSignal = (signal: string) => {
      signals++;
      if (signals === 1) resolve(signal);
      else process.exit(130); // a second signal exits at once (the exit hook still kills the groups)
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
    process.stdin.once('end', () => resolve('stdin ended'));
    process.stdin.once('close', () => resolve('stdin closed'));
    process.stdout.once('error', () => resolve('stdout closed'));
    const poll = setInterval(() => {
      if (process.ppid !== parent) resolve('the parent process died');
    }, PARENT_POLL_MS);
    poll.unref();
  });
  io.stderr.write(`execution-engine: ${reason}: shutting down\n`);
  await server.close();
  await engine.shutdown({ graceMs: 0 });
  process.stdin.destroy();
  // Nothing may keep a sidecar alive now: whatever still holds the loop gets 2 s, then it exits.
  setTimeout(() => process.exit(0), 2000).unref();
  return 0;
}
