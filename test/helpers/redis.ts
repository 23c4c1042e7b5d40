import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A redis-server of a test: on 127.0.0.1, a free port, a temporary directory. */
export interface TestRedis {
  port: number;
  /** Its temporary directory (deleted by `dispose`): a place for a test's own files too. */
  dir: string;
  connection: { host: string; port: number };
  /** Stops it (SIGKILL with `crash`, else SIGTERM) and waits for its exit. */
  stop(options?: { crash?: boolean }): Promise<void>;
  /** Starts it again on the same port and directory (reading its append-only file, if any). */
  start(): Promise<void>;
  /** Stops it and deletes its directory. */
  dispose(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0));
    });
  });
}

/**
 * Starts a redis-server for a test (`appendonly` for the restart tests: what it acknowledged
 * survives a restart, fsynced at every write). Call `dispose()` in `afterAll`/`afterEach`.
 */
export async function startRedis(options: { appendonly?: boolean } = {}): Promise<TestRedis> {
  const dir = mkdtempSync(join(tmpdir(), 'ee-redis-'));
  const port = await freePort();
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--dir', dir];
  args.push(
    ...(options.appendonly === true
      ? ['--appendonly', 'yes', '--appendfsync', 'always']
      : ['--appendonly', 'no']),
  );
  let child: ChildProcess | undefined;
  const start = () =>
    new Promise<void>((resolve, reject) => {
      const server = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'inherit'] });
      child = server;
      let output = '';
      server.stdout?.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('Ready to accept connections')) resolve();
      });
      server.once('exit', (code) => reject(new Error(`redis-server exited (${code}): ${output}`)));
      server.once('error', reject);
    });
  const stop = async ({ crash = false } = {}) => {
    const server = child;
    child = undefined;
    if (server === undefined || server.exitCode !== null) return;
    const exited = new Promise((resolve) => server.once('exit', resolve));
    server.kill(crash ? 'SIGKILL' : 'SIGTERM');
    await exited;
  };
  await start();
  return {
    port,
    dir,
    connection: { host: '127.0.0.1', port },
    stop,
    start,
    async dispose() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
