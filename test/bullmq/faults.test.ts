import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { RedisUnavailableError } from '../../src/bullmq/index.js';
import { type ExecutionEvent, exec, shell } from '../../src/index.js';
import { createDistributedEngine, spawnWorker } from '../helpers/distributed.js';
import { eventually, isAlive, killGroup } from '../helpers/processes.js';
import { startRedis, type TestRedis } from '../helpers/redis.js';

// Short locks and stalled checks, so a dead worker is noticed within about 2 s.
const FAST = { stalledIntervalMs: 500, lockDurationMs: 1000 };

let redis: TestRedis;
const orphans: number[] = [];
beforeEach(async () => {
  redis = await startRedis({ appendonly: true });
});
afterEach(async () => {
  for (const pid of orphans.splice(0)) killGroup(pid);
  await redis.dispose();
});

/** Resolves with the `started` event of `id`. */
function startedOf(engine: ReturnType<typeof createDistributedEngine>, id: string) {
  return new Promise<ExecutionEvent & { type: 'started'; worker?: string }>((resolve) => {
    engine.on('started', (event) => event.executionId === id && resolve(event));
  });
}

it('ends the executions of a SIGKILLed worker LOST with its id, or runs them again when retry allows', async () => {
  const doomed = await spawnWorker({ connection: redis.connection, ...FAST });
  const engine = createDistributedEngine({ connection: redis.connection });
  const once = await engine.execute({ command: exec('sleep', ['30']) });
  // Runs until the flag exists: the first attempt never ends by itself, the second at once.
  const flag = join(redis.dir, 'flag');
  const retried = await engine.execute({
    command: shell(`while [ ! -f ${flag} ]; do sleep 0.05; done; echo finished`),
    retry: { attempts: 2, delayMs: 0 },
  });
  const [first, second] = await Promise.all([startedOf(engine, once), startedOf(engine, retried)]);
  orphans.push(first.pid, second.pid); // a SIGKILLed worker leaves its children behind
  expect(first.worker).toBe(doomed.id);
  const rescuer = await spawnWorker({ connection: redis.connection, ...FAST });
  const rerun = new Promise<ExecutionEvent[]>((resolve) => {
    const seen: ExecutionEvent[] = [];
    engine.on('event', (event) => {
      if (event.executionId !== retried) return;
      seen.push(event);
      if (event.type === 'completed') resolve(seen);
    });
  });
  await doomed.kill();
  writeFileSync(flag, '');
  const lost = await engine.waitForCompletion(once, { timeoutMs: 15_000 });
  expect(lost.status).toBe('failed');
  expect(lost.error?.code).toBe('LOST');
  expect(lost.error?.message).toContain(doomed.id);
  expect(lost.attempts).toHaveLength(1);
  const events = await rerun;
  expect(events.map((e) => e.type)).toEqual(['retrying', 'started', 'stdout', 'completed']);
  expect(events.map((e) => e.seq)).toEqual([2, 3, 4, 5]); // after `started` (1) of the lost attempt
  expect((events[1] as { worker?: string }).worker).toBe(rescuer.id);
  const result = await engine.waitForCompletion(retried);
  expect(result).toMatchObject({ status: 'completed', stdout: 'finished' });
  expect(result.attempts.map((a) => a.error?.code ?? a.status)).toEqual(['LOST', 'completed']);
}, 40_000);

it('terminates the process tree of an execution whose worker loses its lock, and ends it LOST', async () => {
  await spawnWorker({ connection: redis.connection, ...FAST });
  const engine = createDistributedEngine({ connection: redis.connection });
  const id = await engine.execute({ command: exec('sleep', ['30']) });
  const { pid } = await startedOf(engine, id);
  orphans.push(pid);
  // What a long pause or a partition does: the lock expires; here it is taken away at once.
  const { Redis } = await import('ioredis');
  const admin = new Redis(redis.connection);
  await admin.del(`execution-engine:cap.default:e-${id}:lock`);
  await admin.quit();
  expect(await eventually(() => !isAlive(pid), 10_000)).toBe(true);
  const result = await engine.waitForCompletion(id, { timeoutMs: 15_000 });
  expect(result.status).toBe('failed');
  expect(result.error?.code).toBe('LOST');
}, 30_000);

it('loses no result when Redis restarts mid-run: the worker reconnects and delivers every line once', async () => {
  await spawnWorker({ connection: redis.connection });
  const engine = createDistributedEngine({ connection: redis.connection });
  const id = await engine.execute({ command: shell('for i in $(seq 1 20); do echo $i; sleep 0.1; done') });
  await startedOf(engine, id);
  await redis.stop({ crash: true });
  await expect(engine.execute({ command: exec('true') })).rejects.toBeInstanceOf(RedisUnavailableError);
  await new Promise((resolve) => setTimeout(resolve, 700)); // the outage itself, no event to wait for
  await redis.start();
  const result = await engine.waitForCompletion(id, { timeoutMs: 20_000 });
  const expected = Array.from({ length: 20 }, (_, i) => String(i + 1));
  expect(result.status).toBe('completed');
  expect(result.stdout.split('\n')).toEqual(expected);
  const lines: string[] = [];
  const seqs: number[] = [];
  for await (const event of engine.subscribe(id)) {
    seqs.push(event.seq);
    if (event.type === 'stdout') lines.push(event.line);
  }
  expect(lines).toEqual(expected);
  expect(seqs).toEqual(seqs.map((_, i) => i + 1));
  const after = await engine.run({ command: exec('echo', ['again']) });
  expect(after.stdout).toBe('again');
}, 40_000);

it('closes a worker gracefully: running executions get graceMs, then are cancelled as worker shutdown', async () => {
  const worker = await spawnWorker({ connection: redis.connection, graceMs: 1500 });
  const engine = createDistributedEngine({ connection: redis.connection });
  const quick = await engine.execute({ command: shell('sleep 0.3; echo ok') });
  const slow = await engine.execute({ command: exec('sleep', ['30']) });
  const [, { pid }] = await Promise.all([startedOf(engine, quick), startedOf(engine, slow)]);
  const cancelled = new Promise<ExecutionEvent>((resolve) => {
    engine.on('cancelled', (event) => event.executionId === slow && resolve(event));
  });
  await worker.stop();
  expect(worker.lines).toContain('closed');
  expect((await engine.waitForCompletion(quick)).stdout).toBe('ok');
  expect(await engine.getStatus(slow)).toBe('cancelled');
  expect(((await cancelled) as { reason?: string }).reason).toBe('worker shutdown');
  expect(isAlive(pid)).toBe(false);
}, 30_000);
