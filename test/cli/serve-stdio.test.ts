import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { EngineClient, stdioTransport } from '../../src/client/index.js';
import { exec } from '../../src/index.js';
import { fixture, node } from '../helpers/fixtures.js';
import { eventually, isAlive } from '../helpers/processes.js';
import { startSidecar, stderrOf, useBuiltCli } from '../helpers/sidecar.js';

const cli = useBuiltCli();
const leftovers: number[] = [];

afterEach(() => {
  for (const pid of leftovers.splice(0)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {}
  }
});

/** Starts `count` `sleep 300` commands through `client`; resolves with their pids once running. */
async function startSleeps(client: EngineClient, count: number): Promise<number[]> {
  const pids: number[] = [];
  for (let i = 0; i < count; i++) {
    const id = await client.execute({ command: exec('sleep', ['300']) });
    for await (const event of client.subscribe(id)) {
      if (event.type === 'started') {
        pids.push(event.pid);
        break;
      }
    }
  }
  leftovers.push(...pids);
  return pids;
}

/** The sidecar's pid, from its first stderr line. */
async function sidecarPid(stderr: () => string): Promise<number> {
  expect(await eventually(() => /\(pid \d+\)/.test(stderr()), 15_000)).toBe(true);
  const pid = Number(/\(pid (\d+)\)/.exec(stderr())![1]);
  leftovers.push(pid);
  return pid;
}

const gone = (pids: readonly number[]) => pids.every((pid) => !isAlive(pid));

async function exitCode(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return child.exitCode;
  const [code] = (await once(child, 'exit')) as [number | null];
  return code;
}

describe('execution-engine serve --stdio', () => {
  it('exits when its stdin ends, killing the commands it started; logs only to stderr', async () => {
    const child = startSidecar(cli(), ['serve', '--stdio']);
    const stderr = stderrOf(child);
    let stdout = '';
    child.stdout!.on('data', (chunk) => {
      stdout += String(chunk);
    });
    const client = new EngineClient(stdioTransport(child));
    const pids = await startSleeps(client, 2);
    expect(pids.every(isAlive)).toBe(true);
    await client.close(); // ends the sidecar's stdin
    expect(await exitCode(child)).toBe(0);
    expect(await eventually(() => gone(pids), 10_000)).toBe(true);
    expect(stderr()).toContain('stdin ended: shutting down');
    for (const line of stdout.split('\n').filter((text) => text !== '')) {
      expect(JSON.parse(line)).toMatchObject({ jsonrpc: '2.0' }); // nothing but protocol on stdout
    }
  }, 60_000);

  it('exits on SIGTERM, killing the commands it started', async () => {
    const child = startSidecar(cli(), ['serve', '--stdio']);
    const stderr = stderrOf(child);
    const client = new EngineClient(stdioTransport(child));
    const pids = await startSleeps(client, 2);
    child.kill('SIGTERM');
    expect(await exitCode(child)).toBe(0);
    expect(await eventually(() => gone(pids), 10_000)).toBe(true);
    expect(stderr()).toContain('SIGTERM: shutting down');
    await client.close();
  }, 60_000);

  it('exits when its parent is SIGKILLed even though its stdin stays open: nothing survives', async () => {
    // The sidecar reads the parent's fd 3, whose other end this test holds: its stdin stays open.
    const parent = startSidecar(node, [fixture('sidecar-parent.js'), cli()], 1);
    const stderr = stderrOf(parent);
    const requests = parent.stdio[3] as Writable;
    const client = new EngineClient(stdioTransport({ stdin: requests, stdout: parent.stdout }));
    const sidecar = await sidecarPid(stderr);
    const pids = await startSleeps(client, 3);
    expect(isAlive(sidecar)).toBe(true);
    parent.kill('SIGKILL');
    await exitCode(parent);
    expect(await eventually(() => gone([sidecar, ...pids]), 15_000)).toBe(true);
    expect(stderr()).toContain('the parent process died: shutting down');
    await client.close();
    requests.destroy();
  }, 60_000);

  it('exits when nobody reads its stdout any more (EPIPE), killing the commands it started', async () => {
    const child = startSidecar(cli(), ['serve', '--stdio']);
    const stderr = stderrOf(child);
    const client = new EngineClient(stdioTransport(child));
    const pids = await startSleeps(client, 1);
    child.stdout!.destroy(); // the app stops reading: the sidecar's next write breaks
    child.stdin!.write('{"jsonrpc":"2.0","id":1,"method":"stats"}\n');
    expect(await exitCode(child)).toBe(0);
    expect(await eventually(() => gone(pids), 10_000)).toBe(true);
    expect(stderr()).toContain('stdout closed: shutting down');
  }, 60_000);

  it('refuses HTTP flags with --stdio (usage, exit 2)', async () => {
    const child = startSidecar(cli(), ['serve', '--stdio', '--port', '8080']);
    const stderr = stderrOf(child);
    expect(await exitCode(child)).toBe(2);
    expect(stderr()).toContain('--stdio serves no HTTP: --port does not apply');
  }, 30_000);
});
