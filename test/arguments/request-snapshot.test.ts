import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { type Command, type ExecutionRequest, exec, type JournalRecord, shell } from '../../src/index.js';
import { FAKE_AWS_DIR, jsonLines, PRINT_ARGV, pathWith } from '../helpers/fake-aws.js';
import { createEngine, shutDownTrackedEngines } from '../helpers/tracked-engine.js';

const dirs: string[] = [];
afterEach(async () => {
  await shutDownTrackedEngines();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** An engine with a journal in a fresh directory (removed after the test). */
function journaled() {
  const dir = mkdtempSync(join(tmpdir(), 'ee-snapshot-'));
  dirs.push(dir);
  const engine = createEngine({ journal: { dir } });
  const record = (id: string) => JSON.parse(readFileSync(join(dir, `${id}.json`), 'utf8')) as JournalRecord;
  return { engine, record };
}

/**
 * `target` with `key` turned into a getter returning `first` on the first read and `later` after;
 * `reads()` tells how often it was read.
 */
function flipping<T extends object>(target: T, key: string, first: unknown, later: unknown) {
  let count = 0;
  Object.defineProperty(target, key, {
    get: () => (++count === 1 ? first : later),
    enumerable: true,
    configurable: true,
  });
  return { value: target, reads: () => count };
}

/** A proxy counting reads of each property of `target`. */
function counted<T extends object>(target: T): { value: T; reads: Map<PropertyKey, number> } {
  const reads = new Map<PropertyKey, number>();
  const value = new Proxy(target, {
    get(object, key, receiver) {
      reads.set(key, (reads.get(key) ?? 0) + 1);
      return Reflect.get(object, key, receiver);
    },
  });
  return { value, reads };
}

describe('a request is read once; spawn, journal, result and events use that snapshot', () => {
  test('an env value that changes after validation: the first value runs and is journaled', async () => {
    const { engine, record } = journaled();
    const env = flipping({} as Record<string, string>, 'SNAP', 'ok', 'a\0b');
    const id = await engine.execute({ command: shell('printf "%s" "$SNAP"'), env: env.value });
    const result = await engine.waitForCompletion(id);
    expect(result).toMatchObject({ status: 'completed', exitCode: 0, stdout: 'ok' });
    expect(env.reads()).toBe(1);
    expect(record(id).request.env).toEqual({ SNAP: 'ok' });
  });

  test('a shell command string that changes: what ran is what is journaled and reported', async () => {
    const { engine, record } = journaled();
    const command = flipping({ type: 'shell' } as Command, 'command', 'echo first', 'echo second');
    const started = new Promise<unknown>((resolve) =>
      engine.once('started', (event) => resolve(event.command)),
    );
    const id = await engine.execute({ command: command.value });
    const result = await engine.waitForCompletion(id);
    expect(result.stdout).toBe('first');
    expect(command.reads()).toBe(1);
    expect(result.command.args).toEqual(['-c', 'echo first']);
    expect(await started).toEqual(result.command);
    const stored = record(id);
    expect(stored.request.command).toEqual({ type: 'shell', command: 'echo first' });
    expect(stored.command).toEqual(result.command);
  });

  test('an exec program and args that change: the first values run and are journaled', async () => {
    const { engine, record } = journaled();
    const args = [PRINT_ARGV, 'fixed'];
    const arg = flipping(args, '2', 'one', 'two');
    const program = flipping(
      { type: 'exec', args } as unknown as Command,
      'program',
      process.execPath,
      'false',
    );
    const id = await engine.execute({ command: program.value });
    const result = await engine.waitForCompletion(id);
    expect(jsonLines(result.stdout)).toEqual(['fixed', 'one']);
    expect([program.reads(), arg.reads()]).toEqual([1, 1]);
    expect(record(id).request.command).toEqual({
      type: 'exec',
      program: process.execPath,
      args: [PRINT_ARGV, 'fixed', 'one'],
    });
  });

  test('the length of an args array is read once', async () => {
    const engine = createEngine();
    const args = counted([PRINT_ARGV, 'a', 'b']);
    const result = await engine.run({ command: exec(process.execPath, args.value) });
    expect(jsonLines(result.stdout)).toEqual(['a', 'b']);
    expect(args.reads.get('length')).toBe(1);
    for (const index of ['0', '1', '2']) expect(args.reads.get(index)).toBe(1);
  });

  test('a script path that changes: the first path runs and is journaled', async () => {
    const { engine, record } = journaled();
    const command = flipping(
      { type: 'script', args: ['x'] } as unknown as Command,
      'path',
      PRINT_ARGV,
      '/nonexistent.js',
    );
    const id = await engine.execute({ command: command.value });
    const result = await engine.waitForCompletion(id);
    expect(jsonLines(result.stdout)).toEqual(['x']);
    expect(command.reads()).toBe(1);
    expect(record(id).request.command).toMatchObject({ type: 'script', path: PRINT_ARGV, args: ['x'] });
  });

  test('an awsCli service and output that change: the first values run and are journaled', async () => {
    const { engine, record } = journaled();
    const base = flipping(
      { type: 'awsCli', operation: 'list-buckets' } as Command,
      'service',
      's3api',
      'sts',
    );
    const command = flipping(base.value, 'output', 'json', 'bogus');
    const id = await engine.execute({ command: command.value, env: { PATH: pathWith(FAKE_AWS_DIR) } });
    const result = await engine.waitForCompletion(id);
    expect(result.json).toEqual({ fakeAws: true, argv: ['s3api', 'list-buckets', '--output', 'json'] });
    expect([base.reads(), command.reads()]).toEqual([1, 1]);
    expect(record(id).request.command).toEqual({
      type: 'awsCli',
      service: 's3api',
      operation: 'list-buckets',
      output: 'json',
    });
  });

  test('every field of the request, its command and env is read at most once', async () => {
    const { engine, record } = journaled();
    const command = counted({ type: 'exec', program: process.execPath, args: [PRINT_ARGV, 'z'] });
    const env = counted({ SNAP_A: '1' });
    const metadata = counted({ tag: 'm' });
    const request = counted<ExecutionRequest>({
      id: 'snap-1',
      command: command.value as Command,
      cwd: tmpdir(),
      env: env.value,
      inheritEnv: true,
      input: 'in',
      timeoutMs: 10_000,
      metadata: metadata.value,
    });
    const id = await engine.execute(request.value);
    const result = await engine.waitForCompletion(id);
    expect(jsonLines(result.stdout)).toEqual(['z']);
    for (const reads of [request.reads, command.reads, env.reads, metadata.reads]) {
      for (const [key, count] of reads) expect([key, count]).toEqual([key, 1]);
    }
    expect(record(id).request).toMatchObject({ cwd: tmpdir(), env: { SNAP_A: '1' }, timeoutMs: 10_000 });
  });

  test('input bytes changed while queued: the bytes given to execute are written', async () => {
    const engine = createEngine({ maxConcurrentExecutions: 1 });
    const blocker = await engine.execute({ command: exec('sleep', ['0.2']) });
    const input = new TextEncoder().encode('before');
    const id = await engine.execute({ command: exec('cat'), input });
    input.set(new TextEncoder().encode('AFTER!'));
    await engine.waitForCompletion(blocker);
    expect((await engine.waitForCompletion(id)).stdout).toBe('before');
  });
});
