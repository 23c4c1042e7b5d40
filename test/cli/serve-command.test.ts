import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildCli } from '../helpers/built-cli.js';
import { fixture, node } from '../helpers/fixtures.js';
import { eventually, isAlive } from '../helpers/processes.js';
import { parseExposition } from '../helpers/prometheus-text.js';

const children = new Set<ChildProcess>();
let built: Awaited<ReturnType<typeof buildCli>> | undefined;
let cli: string;

beforeAll(async () => {
  built = await buildCli(); // the CLI as published
  cli = built.bin;
}, 120_000);
afterAll(async () => {
  await built?.remove();
});

afterEach(() => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  children.clear();
});

function start(args: string[]): ChildProcess {
  const child = spawn(cli, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  return child;
}

/** The URL the CLI prints once it listens. */
async function printedUrl(child: ChildProcess): Promise<string> {
  let text = '';
  for await (const chunk of child.stdout!) {
    text += String(chunk);
    const match = /execution-engine listening on (\S+)\n/.exec(text);
    if (match !== null) return match[1]!;
  }
  throw new Error(`no URL printed: ${text}`);
}

async function exitOf(child: ChildProcess): Promise<{ code: number | null; stderr: string }> {
  let stderr = '';
  child.stderr!.on('data', (chunk) => {
    stderr += String(chunk);
  });
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, stderr };
}

describe('execution-engine serve', () => {
  it('prints its URL with a token, serves the API, and shuts down on SIGTERM leaving no process', async () => {
    const child = start(['serve', '--port', '0', '--max-concurrent', '2']);
    const exited = exitOf(child);
    const printed = await printedUrl(child);
    expect(printed).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?access_token=[\w-]{43}$/);
    const url = new URL(printed);
    const token = url.searchParams.get('access_token')!;
    expect((await fetch(new URL('/health', url))).status).toBe(401);
    const created = await fetch(new URL('/executions', url), {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        command: { type: 'exec', program: node, args: [fixture('print-then-wait.js'), '1'] },
      }),
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    let pid: number | undefined;
    for (let i = 0; i < 50 && pid === undefined; i++) {
      const snapshot = (await (
        await fetch(new URL(`/executions/${id}?access_token=${token}`, url))
      ).json()) as {
        pid?: number;
      };
      pid = snapshot.pid;
      if (pid === undefined) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(pid).toBeGreaterThan(0);
    const page = await fetch(url);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    child.kill('SIGTERM');
    const { code, stderr } = await exited;
    expect(code).toBe(0);
    expect(stderr).toContain('shutting down');
    expect(await eventually(() => !isAlive(pid!), 5000)).toBe(true);
  }, 60_000);

  it('serves without a token only with --no-auth, and without the dashboard with --no-dashboard', async () => {
    const child = start(['serve', '--port', '0', '--no-auth', '--no-dashboard']);
    const exited = exitOf(child);
    const url = await printedUrl(child);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect((await fetch(new URL('/health', url))).status).toBe(200);
    expect((await fetch(url)).status).toBe(404);
    child.kill('SIGINT');
    expect((await exited).code).toBe(0);
  }, 60_000);

  it('serves Prometheus metrics at /metrics with --metrics, behind the token; 404 without it', async () => {
    const child = start(['serve', '--port', '0', '--metrics']);
    const exited = exitOf(child);
    const url = new URL(await printedUrl(child));
    const token = url.searchParams.get('access_token')!;
    const auth = { authorization: `Bearer ${token}` };
    expect((await fetch(new URL('/metrics', url))).status).toBe(401);
    const created = await fetch(new URL('/executions', url), {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({
        command: { type: 'exec', program: node, args: [fixture('print-lines.js'), '1'] },
      }),
    });
    const { id } = (await created.json()) as { id: string };
    expect(
      (await fetch(new URL(`/executions/${id}/result?waitMs=10000`, url), { headers: auth })).status,
    ).toBe(200);
    const scraped = await fetch(new URL('/metrics', url), { headers: auth });
    expect(scraped.status).toBe(200);
    expect(scraped.headers.get('content-type')).toMatch(/^text\/plain/);
    const families = parseExposition(await scraped.text());
    const finished = families.get('execution_engine_executions_finished_total')!.samples;
    expect(finished).toContainEqual({
      name: 'execution_engine_executions_finished_total',
      labels: { status: 'completed', group: 'none', kind: 'exec' },
      value: 1,
    });
    expect(families.has('process_cpu_seconds_total')).toBe(false); // no default metrics
    child.kill('SIGTERM');
    expect((await exited).code).toBe(0);
    const plain = start(['serve', '--port', '0', '--no-auth']);
    const plainExited = exitOf(plain);
    expect((await fetch(new URL('/metrics', await printedUrl(plain)))).status).toBe(404);
    plain.kill('SIGTERM');
    expect((await plainExited).code).toBe(0);
  }, 60_000);

  it('prints usage to stderr and exits 2 on a bad flag; --help and --version exit 0', async () => {
    for (const args of [
      ['serve', '--bogus'],
      ['serve', '--token', 'x'.repeat(20), '--no-auth'],
      ['serve', '--port', 'abc'],
      ['nope'],
      [],
    ]) {
      const { code, stderr } = await exitOf(start(args));
      expect(code, args.join(' ')).toBe(2);
      expect(stderr).toContain('Usage: execution-engine');
    }
    const help = start(['--help']);
    let out = '';
    help.stdout!.on('data', (chunk) => {
      out += String(chunk);
    });
    expect((await exitOf(help)).code).toBe(0);
    expect(out).toContain('--no-dashboard');
    const version = start(['--version']);
    let printed = '';
    version.stdout!.on('data', (chunk) => {
      printed += String(chunk);
    });
    expect((await exitOf(version)).code).toBe(0);
    expect(printed.trim()).toMatch(/^\d+\.\d+\.\d+/);
  }, 60_000);
});
