import { type ChildProcess, spawn } from 'node:child_process';
import { EventEmitter, once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { constants, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type SidecarChild,
  type SidecarCommand,
  sidecarTransport,
  stopSidecar,
} from '../../examples/tauri-sidecar/src/sidecar-transport.js';
import { CommandFailedError, EngineClient, InvalidRequestError } from '../../src/client/index.js';
import { exec } from '../../src/index.js';
import { buildCli } from '../helpers/built-cli.js';
import { fixture, node } from '../helpers/fixtures.js';
import { eventually, isAlive } from '../helpers/processes.js';

let cli: Awaited<ReturnType<typeof buildCli>>;
beforeAll(async () => {
  cli = await buildCli();
}, 120_000);
afterAll(() => cli.remove());

const processes: ChildProcess[] = [];
// A sidecar killed with SIGKILL (Tauri's kill) cannot remove its output directory: each gets a
// temp directory of its own, removed after the test.
const tempDirs: string[] = [];
afterEach(() => {
  for (const child of processes.splice(0)) child.kill('SIGKILL');
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/**
 * Tauri's `Command` over a real process: the built `execution-engine` command. Like the shell
 * plugin, it emits each line of stdout and stderr whole, without its newline, writes strings to
 * stdin, and `kill()` is SIGKILL.
 */
class TauriCommand extends EventEmitter implements SidecarCommand {
  readonly stdout = new EventEmitter();
  readonly stderr = new EventEmitter();
  readonly #args: string[];
  process: ChildProcess | undefined;
  constructor(args: string[]) {
    super();
    this.#args = args;
  }
  async spawn(): Promise<SidecarChild> {
    const tmp = mkdtempSync(join(tmpdir(), 'tauri-sidecar-test-'));
    tempDirs.push(tmp);
    const child = spawn(node, [cli.bin, ...this.#args], {
      stdio: 'pipe',
      env: { ...process.env, TMPDIR: tmp },
    });
    processes.push(child);
    this.process = child;
    createInterface({ input: child.stdout! }).on('line', (line) => this.stdout.emit('data', line));
    createInterface({ input: child.stderr! }).on('line', (line) => this.stderr.emit('data', line));
    child.on('close', (code, signal) =>
      this.emit('close', { code, signal: signal === null ? null : constants.signals[signal] }),
    );
    child.on('error', (error) => this.emit('error', String(error)));
    await once(child, 'spawn');
    return {
      pid: child.pid!,
      write: (data) =>
        new Promise((resolve, reject) =>
          child.stdin!.write(data, (error) => (error ? reject(error) : resolve())),
        ),
      kill: async () => {
        child.kill('SIGKILL');
      },
    };
  }
}

async function start() {
  const command = new TauriCommand(['serve', '--stdio']);
  const logs: string[] = [];
  const { transport, child } = await sidecarTransport(command, (line) => logs.push(line));
  const client = new EngineClient(transport);
  return { command, client, child, logs };
}

describe('the Tauri sidecar transport, against a real `execution-engine serve --stdio`', () => {
  it("runs commands with the engine's results, output complete and in order, and its error classes", async () => {
    const { client } = await start();
    const id = await client.execute({ command: exec('seq', ['1', '50000']) });
    const lines: string[] = [];
    let last = '';
    for await (const event of client.subscribe(id, { lines: 'batched' })) {
      if (event.type === 'output') lines.push(...event.lines);
      last = event.type;
    }
    expect(last).toBe('completed');
    expect(lines.length).toBe(50_000);
    expect(lines.every((line, i) => line === String(i + 1))).toBe(true);
    expect((await client.getResult(id))?.completedAt).toBeInstanceOf(Date);

    const invalid = await client.execute({ command: { type: 'exec', program: '' } }).catch((e: unknown) => e);
    expect(invalid).toBeInstanceOf(InvalidRequestError);
    expect(invalid).toMatchObject({ field: 'command.program' });
    const failed = await client
      .run({ command: exec(node, [fixture('exit-with.js'), '4']) })
      .catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(CommandFailedError);
    await client.close();
  }, 60_000);

  it('stopSidecar cancels the running commands, then kills the sidecar: nothing is left running', async () => {
    const { command, client, child } = await start();
    const id = await client.execute({ command: exec(node, [fixture('ignore-sigterm.js')]) });
    for await (const event of client.subscribe(id)) if (event.type === 'stdout') break; // `ready`
    const { pid } = await client.getExecution(id);
    expect(pid).toBeTypeOf('number');
    const closed = once(command, 'close');
    await stopSidecar(client, child);
    await closed;
    expect(isAlive(pid!)).toBe(false);
    expect(isAlive(child.pid)).toBe(false);
  }, 30_000);

  it('the sidecar stops by itself, and stops its commands, when its stdin closes (the app went away)', async () => {
    const { command, client } = await start();
    const id = await client.execute({ command: exec(node, [fixture('print-then-wait.js'), '1']) });
    for await (const event of client.subscribe(id)) if (event.type === 'stdout') break;
    const { pid } = await client.getExecution(id);
    const closed = once(command, 'close');
    command.process!.stdin!.end();
    await closed;
    expect(await eventually(() => !isAlive(pid!), 10_000)).toBe(true);
  }, 30_000);
});
