import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import {
  type ExecutionEngine,
  ExecutionNotFoundError,
  exec,
  InvalidRequestError,
  shell,
} from '../../src/index.js';
import { createEngine } from '../helpers/engine.js';
import { fixture, node } from '../helpers/fixtures.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Resolves once execution `id` printed a stdout line starting with `prefix`. */
function printed(engine: ExecutionEngine, id: string, prefix: string): Promise<void> {
  return new Promise((resolve) => {
    const listener = (event: { executionId: string; line: string }) => {
      if (event.executionId !== id || !event.line.startsWith(prefix)) return;
      engine.off('stdout', listener);
      resolve();
    };
    engine.on('stdout', listener);
  });
}

/** The rejection of `promise`, which must reject. */
async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => expect.unreachable('expected a rejection'),
    (error: unknown) => error,
  );
}

describe("stdin: 'pipe'", () => {
  test('answers a prompt line by line, then EOF ends the process', async () => {
    const engine = createEngine();
    const id = await engine.execute({
      command: exec(node, [fixture('prompt-echo.js')]),
      stdin: 'pipe',
      timeoutMs: 20_000,
    });
    const first = printed(engine, id, 'name? hello Ada');
    await engine.writeInput(id, 'Ada\n');
    await first;
    await engine.writeInput(id, new TextEncoder().encode('Grace\n'));
    await engine.closeInput(id);
    const result = await engine.waitForCompletion(id);
    expect(result).toMatchObject({ status: 'completed', exitCode: 0, success: true });
    expect(result.stdout).toBe('name? hello Ada\nname? hello Grace\nname? \nbye');
  });

  test('a cat round trip of binary data (every byte value, larger than a pipe buffer)', async () => {
    const engine = createEngine();
    const id = await engine.execute({
      command: shell(
        `cat | ${JSON.stringify(node)} -e "let n=0,h=0;process.stdin.on('data',b=>{for(const x of b){h=(h*31+x)>>>0;n++}}).on('end',()=>console.log(n,h))"`,
      ),
      stdin: 'pipe',
      timeoutMs: 20_000,
    });
    const bytes = new Uint8Array(256 * 1024);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7 + (i >> 8)) & 0xff;
    let hash = 0;
    for (const byte of bytes) hash = (hash * 31 + byte) >>> 0;
    // Awaiting each write keeps at most one chunk in flight (back-pressure).
    for (let offset = 0; offset < bytes.length; offset += 64 * 1024) {
      await engine.writeInput(id, bytes.subarray(offset, offset + 64 * 1024));
    }
    await engine.closeInput(id);
    const result = await engine.waitForCompletion(id);
    expect(result).toMatchObject({ status: 'completed', exitCode: 0 });
    expect(result.stdout).toBe(`${bytes.length} ${hash}`);
  });

  test('cat echoes exact bytes, NUL and invalid UTF-8 included', async () => {
    const engine = createEngine();
    const id = await engine.execute({ command: shell('od -An -tx1 -v'), stdin: 'pipe', timeoutMs: 20_000 });
    await engine.writeInput(id, Uint8Array.from([0, 1, 0xff, 0xfe, 10, 0x80]));
    await engine.closeInput(id);
    const result = await engine.waitForCompletion(id);
    expect(result.stdout.split(/\s+/).filter(Boolean)).toEqual(['00', '01', 'ff', 'fe', '0a', '80']);
  });

  test('closeInput is idempotent, also once the execution is terminal', async () => {
    const engine = createEngine();
    const id = await engine.execute({ command: exec('cat'), stdin: 'pipe', timeoutMs: 20_000 });
    await Promise.all([engine.closeInput(id), engine.closeInput(id)]);
    await engine.closeInput(id);
    expect((await engine.waitForCompletion(id)).status).toBe('completed');
    await expect(engine.closeInput(id)).resolves.toBeUndefined();
  });

  test('empty writes resolve and write nothing', async () => {
    const engine = createEngine();
    const id = await engine.execute({ command: exec('cat'), stdin: 'pipe', timeoutMs: 20_000 });
    await engine.writeInput(id, '');
    await engine.writeInput(id, new Uint8Array(0));
    await engine.writeInput(id, 'x');
    await engine.closeInput(id);
    expect((await engine.waitForCompletion(id)).stdout).toBe('x');
  });

  test("without stdin: 'pipe', stdin stays /dev/null", async () => {
    const engine = createEngine();
    const result = await engine.run({ command: exec('cat'), stdin: 'ignore', timeoutMs: 20_000 });
    expect(result).toMatchObject({ status: 'completed', stdout: '' });
  });
});

describe('misuse is a typed error', () => {
  test('unknown id: ExecutionNotFoundError', async () => {
    const engine = createEngine();
    await expect(engine.writeInput('nope', 'x')).rejects.toBeInstanceOf(ExecutionNotFoundError);
    await expect(engine.closeInput('nope')).rejects.toBeInstanceOf(ExecutionNotFoundError);
  });

  test("an execution without stdin: 'pipe': InvalidRequestError naming stdin", async () => {
    const engine = createEngine();
    const id = await engine.execute({ command: exec('sleep', ['5']) });
    for (const call of [engine.writeInput(id, 'x'), engine.closeInput(id)]) {
      const error = await rejection(call);
      expect(error).toBeInstanceOf(InvalidRequestError);
      expect((error as InvalidRequestError).field).toBe('stdin');
      expect((error as Error).message).toMatch(/not started with `stdin: 'pipe'`/);
    }
  });

  test('data that is not a string or Uint8Array: InvalidRequestError naming data', async () => {
    const engine = createEngine();
    const id = await engine.execute({ command: exec('cat'), stdin: 'pipe' });
    const error = await rejection(engine.writeInput(id, 42 as never));
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect((error as InvalidRequestError).field).toBe('data');
  });

  test('a queued execution is refused, not buffered', async () => {
    const engine = createEngine({ maxConcurrentExecutions: 1 });
    await engine.execute({ command: exec('sleep', ['5']) });
    const id = await engine.execute({ command: exec('cat'), stdin: 'pipe' });
    expect(engine.getStatus(id)).toBe('queued');
    for (const call of [engine.writeInput(id, 'x'), engine.closeInput(id)]) {
      const error = await rejection(call);
      expect(error).toBeInstanceOf(InvalidRequestError);
      expect((error as Error).message).toMatch(/is queued .*'started' event/);
    }
  });

  test('a terminal execution: InvalidRequestError', async () => {
    const engine = createEngine();
    const id = await engine.execute({ command: exec('true'), stdin: 'pipe' });
    await engine.waitForCompletion(id);
    const error = await rejection(engine.writeInput(id, 'x'));
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect((error as Error).message).toMatch(/it is completed/);
  });

  test('closed input: InvalidRequestError', async () => {
    const engine = createEngine();
    const id = await engine.execute({ command: exec('sleep', ['5']), stdin: 'pipe' });
    await engine.closeInput(id);
    const error = await rejection(engine.writeInput(id, 'x'));
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect((error as Error).message).toMatch(/stdin is closed/);
  });

  test("stdin: 'pipe' with input: InvalidRequestError at execute, nothing registered", async () => {
    const engine = createEngine();
    const error = await rejection(engine.execute({ command: exec('cat'), stdin: 'pipe', input: 'x' }));
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect((error as InvalidRequestError).field).toBe('stdin');
    expect(engine.list()).toEqual([]);
  });

  test('an invalid stdin value: InvalidRequestError naming stdin', async () => {
    const engine = createEngine();
    const error = await rejection(engine.execute({ command: exec('cat'), stdin: 'inherit' as never }));
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect((error as InvalidRequestError).field).toBe('stdin');
  });

  test("stdin: 'pipe' with a journal: InvalidRequestError naming stdin and saying why", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ee-stdin-journal-'));
    dirs.push(dir);
    const engine = createEngine({ journal: { dir } });
    const error = await rejection(engine.execute({ command: exec('cat'), stdin: 'pipe' }));
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect((error as InvalidRequestError).field).toBe('stdin');
    expect((error as Error).message).toMatch(/journal/);
    expect(engine.list()).toEqual([]);
  });
});

describe('writing after the process exited', () => {
  test('rejects with InvalidRequestError (EPIPE handled), never an unhandled error', async () => {
    const unhandled: unknown[] = [];
    const onError = (error: unknown) => unhandled.push(error);
    process.on('uncaughtException', onError);
    process.on('unhandledRejection', onError);
    try {
      const engine = createEngine();
      // The shell closes its stdin, then keeps running a while: writes hit a pipe nobody reads.
      const id = await engine.execute({
        command: shell('exec 0<&-; sleep 0.5'),
        stdin: 'pipe',
        timeoutMs: 20_000,
      });
      const big = new Uint8Array(1024 * 1024);
      const errors: unknown[] = [];
      for (let i = 0; i < 3; i++) errors.push(await rejection(engine.writeInput(id, big)));
      for (const error of errors) expect(error).toBeInstanceOf(InvalidRequestError);
      expect((errors[0] as Error).message).toMatch(
        /no longer reads its stdin \(EPIPE\)|stdin pipe is closed/,
      );
      const result = await engine.waitForCompletion(id);
      expect(result).toMatchObject({ status: 'completed', exitCode: 0 });
      const after = await rejection(engine.writeInput(id, 'late\n'));
      expect(after).toBeInstanceOf(InvalidRequestError);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('uncaughtException', onError);
      process.off('unhandledRejection', onError);
    }
  });
});
