import { readFileSync } from 'node:fs';

/** A bad command line: usage goes to stderr and the exit code is 2. */
export class UsageError extends Error {}

/** The help text of every command. */
export function usage(): string {
  return `Usage: execution-engine <command> [options]

Commands:
  serve    Serve an engine over HTTP + SSE, with the dashboard
             --port N            port to listen on (default 7878; 0 picks a free one)
             --host H            interface to bind (default 127.0.0.1: this machine only)
             --token T           the token clients send (default: a random one)
             --no-auth           serve without authentication (anyone who can connect runs commands)
             --journal DIR       durable journal directory (recovers after a crash)
             --log-dir DIR       write each execution's output to files in DIR
             --max-concurrent N  executions running at once
             --no-dashboard      do not serve the dashboard page

Options:
  --help       show this help
  --version    show the version
`;
}

/** The package's version, read from its package.json (next to dist/ or src/). */
export function readVersion(): string {
  for (const path of ['../package.json', '../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(path, import.meta.url), 'utf8')) as {
        name?: string;
        version?: string;
      };
      if (pkg.name === 'execution-engine' && pkg.version !== undefined) return pkg.version;
    } catch {}
  }
  return 'unknown';
}
