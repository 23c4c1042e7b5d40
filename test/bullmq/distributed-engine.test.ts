import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DistributedEngine, RedisUnavailableError, startWorker } from '../../src/bullmq/index.js';
import {
  type ExecutionEvent,
  exec,
  InvalidConfigError,
  InvalidRequestError,
  shell,
} from '../../src/index.js';
import { createDistributedEngine, spawnWorker, type WorkerProcess } from '../helpers/distributed.js';
import { fixture, node } from '../helpers/fixtures.js';
import { isAlive } from '../helpers/processes.js';
import { startRedis, type TestRedis } from '../helpers/redis.js';

let redis: TestRedis;
let alpha: WorkerProcess;
let beta: WorkerProcess;
beforeAll(async () => {
  redis = await startRedis();
  // Started per file, not per test: the workers outlive `afterEach`'s cleanup only if re-created.
}, 30_000);
afterAll(async () => {
  await redis.dispose();
});

/** Two worker processes: `alpha` takes 'default' and 'alpha', `beta` only 'beta'. */
async function startWorkers(): Promise<void> {
  [alpha, beta] = await Promise.all([
    spawnWorker({ connection: redis.connection, capabilities: ['default', 'alpha'], concurrency: 4 }),
    spawnWorker({ connection: redis.connection, capabilities: ['beta'], concurrency: 4 }),
  ]);
}

describe('checks', () => {
  it('rejects an invalid request as the local engine does, naming the field, and stores nothing', async () => {
    const engine = createDistributedEngine({ connection: redis.connection, prefix: 'checks' });
    const cases: [unknown, string][] = [
      [{ command: exec('true'), timeoutMs: -1 }, 'timeoutMs'],
      [{ command: exec('true'), timeout: 5 }, 'timeout'],
      [{ command: exec('true'), requires: 'two words' }, 'requires'],
      [{ command: exec('true'), progress: () => undefined }, 'progress'],
      [{ command: exec('true'), stdin: 'pipe' }, 'stdin'],
    ];
    for (const [request, field] of cases) {
      const error = await engine.execute(request as never).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InvalidRequestError);
      expect((error as InvalidRequestError).field).toBe(field);
    }
    expect(await engine.list()).toEqual([]);
    await expect(engine.execute({ command: exec('true'), timeoutMs: -1 })).rejects.toThrow(
      'Expected `timeoutMs` to be',
    );
  });

  it('rejects invalid options with InvalidConfigError naming the option', async () => {
    expect(() => new DistributedEngine({ connection: redis.connection, prefix: 'a:b' })).toThrow(
      InvalidConfigError,
    );
    const error = await startWorker({ connection: redis.connection, concurrency: -1 }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(InvalidConfigError);
    expect((error as Error).message).toBe(
      'Expected `concurrency` to be a positive integer, got `-1` (number)',
    );
    await expect(
      startWorker({ connection: redis.connection, capabilities: ['ok', 'not ok'] }),
    ).rejects.toThrow('capabilities[1]');
  });

  it('rejects execute while Redis is down with a clear error', async () => {
    const down = await startRedis();
    const engine = createDistributedEngine({ connection: down.connection });
    await down.dispose();
    const error = await engine.execute({ command: exec('true') }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RedisUnavailableError);
    expect((error as Error).message).toContain(`Redis at 127.0.0.1:${down.port} is unavailable`);
  });
});

/** Runs test-scripts/distributed-idle.ts; resolves with what it printed once it exits by itself. */
function idleHost(mode: 'idle' | 'run'): Promise<string> {
  const child = spawn(node, ['--import', 'tsx', fixture('distributed-idle.ts'), String(redis.port), mode], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  return new Promise((resolve) =>
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve(`${output.trim()} ${signal ?? code}`);
    }),
  );
}

describe('connections', () => {
  it('connects once Redis is up when the engine was made while it was down', async () => {
    const late = await startRedis();
    try {
      await late.stop();
      const engine = createDistributedEngine({ connection: late.connection });
      await expect(engine.execute({ command: exec('true') })).rejects.toBeInstanceOf(RedisUnavailableError);
      await late.start();
      // The client reconnects on its own schedule (at most a second apart): no event to wait for.
      let id: string | undefined;
      for (let tries = 0; id === undefined && tries < 20; tries++) {
        id = await engine.execute({ command: exec('true') }).catch(() => undefined);
      }
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
    } finally {
      await late.dispose();
    }
  });

  it('never keeps Node alive when idle, only while it waits for work', async () => {
    expect(await idleHost('idle')).toBe('idle 0');
    await spawnWorker({ connection: redis.connection });
    expect(await idleHost('run')).toBe('done\nclosed 0');
  }, 30_000);
});

describe('with worker processes', () => {
  beforeAll(startWorkers, 30_000);
  // The helper kills workers after each test: start them again for the next one.
  const ensureWorkers = async () => {
    if (alpha.child.exitCode !== null || alpha.child.signalCode !== null) await startWorkers();
  };

  it('routes each execution by `requires` to a worker that lists it, with the same API and events', async () => {
    await ensureWorkers();
    const engine = createDistributedEngine({ connection: redis.connection });
    const started = new Map<string, string>();
    engine.on('started', (event) =>
      started.set(event.executionId, (event as { worker?: string }).worker ?? ''),
    );
    const plain = await engine.run({ command: shell('echo one; echo two >&2') });
    expect(plain).toMatchObject({
      status: 'completed',
      success: true,
      stdout: 'one',
      stderr: 'two',
      exitCode: 0,
    });
    const onAlpha = await engine.run({ command: exec('echo', ['a']), requires: 'alpha' });
    const onBeta = await engine.run({ command: exec('echo', ['b']), requires: 'beta', metadata: { n: 1 } });
    expect(started.get(plain.id)).toBe(alpha.id);
    expect(started.get(onAlpha.id)).toBe(alpha.id);
    expect(started.get(onBeta.id)).toBe(beta.id);
    expect(onBeta.metadata).toEqual({ n: 1 });
    expect(onBeta.createdAt).toBeInstanceOf(Date);
    expect(await engine.getStatus(onBeta.id)).toBe('completed');
    expect(await engine.getResult(onBeta.id)).toEqual(onBeta);
    expect((await engine.getExecution(onBeta.id)).stdout).toBe('b');
    const mine = new Set([plain.id, onAlpha.id, onBeta.id]);
    const listed = (await engine.list({ status: 'completed' })).filter((s) => mine.has(s.id));
    expect(listed.map((s) => s.id)).toEqual([plain.id, onAlpha.id, onBeta.id]);
    expect((await engine.stats()).completed).toBeGreaterThanOrEqual(3);
    await expect(engine.run({ command: exec('false') })).rejects.toThrow('Command failed with exit code 1');
  });

  it('replays and follows an execution with no gap or duplicate, also after it ended and from afterSeq', async () => {
    await ensureWorkers();
    const engine = createDistributedEngine({ connection: redis.connection });
    const id = await engine.execute({ command: shell('for i in 1 2 3 4 5; do echo $i; sleep 0.05; done') });
    const live: ExecutionEvent[] = [];
    for await (const event of engine.subscribe(id)) live.push(event);
    expect(live.map((e) => e.seq)).toEqual(live.map((_, i) => i + 1));
    expect(live.filter((e) => e.type === 'stdout').map((e) => (e as { line: string }).line)).toEqual([
      '1',
      '2',
      '3',
      '4',
      '5',
    ]);
    expect(live.at(-1)?.type).toBe('completed');
    const replay: ExecutionEvent[] = [];
    for await (const event of engine.subscribe(id)) replay.push(event);
    expect(replay).toEqual(live);
    const tail: number[] = [];
    for await (const event of engine.subscribe(id, { afterSeq: 3 })) tail.push(event.seq);
    expect(tail).toEqual(live.slice(3).map((e) => e.seq));
    const batches = [];
    for await (const event of engine.subscribe(id, { lines: 'batched' })) batches.push(event.type);
    expect(batches).toContain('output');
  });

  it('cancels a waiting execution at once (its job removed) and a running one on its worker', async () => {
    await ensureWorkers();
    const engine = createDistributedEngine({ connection: redis.connection });
    const waiting = await engine.execute({ command: exec('true'), requires: 'nobody' });
    expect(await engine.getStatus(waiting)).toBe('queued');
    expect(await engine.cancel(waiting, 'not needed')).toBe(true);
    const result = await engine.waitForCompletion(waiting);
    expect(result).toMatchObject({ status: 'cancelled', attempts: [] });
    const id = await engine.execute({ command: exec('sleep', ['30']), requires: 'beta' });
    const started = await new Promise<number>((resolve) => {
      engine.on('started', (event) => event.executionId === id && resolve(event.pid));
    });
    expect(await engine.cancel(id, 'stop')).toBe(true);
    expect((await engine.getResult(id))?.status).toBe('cancelled');
    expect(isAlive(started)).toBe(false);
    expect(await engine.cancel(id)).toBe(false);
  });
});
