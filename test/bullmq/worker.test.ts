import { afterAll, beforeAll, expect, it } from 'vitest';
import { exec } from '../../src/index.js';
import { createDistributedEngine, spawnWorker } from '../helpers/distributed.js';
import { startRedis, type TestRedis } from '../helpers/redis.js';

let redis: TestRedis;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis.dispose();
});

it('starts waiting executions by priority, higher first, equal ones in submission order', async () => {
  const engine = createDistributedEngine({ connection: redis.connection });
  const order: string[] = [];
  engine.on('started', (event) => order.push(String(event.metadata?.name)));
  // Queued before any worker of the capability exists, so their order is the queue's alone.
  const requests = [
    { name: 'low', priority: -5 },
    { name: 'first', priority: 0 },
    { name: 'urgent', priority: 10 },
    { name: 'second', priority: 0 },
  ];
  const ids = [];
  for (const { name, priority } of requests) {
    ids.push(
      await engine.execute({ command: exec('true'), requires: 'ordered', priority, metadata: { name } }),
    );
  }
  await spawnWorker({ connection: redis.connection, capabilities: ['ordered'], concurrency: 1 });
  await Promise.all(ids.map((id) => engine.waitForCompletion(id)));
  expect(order).toEqual(['urgent', 'first', 'second', 'low']);
});

it('ends an execution that waited longer than its queueTimeoutMs for a worker failed with EXPIRED', async () => {
  const engine = createDistributedEngine({ connection: redis.connection });
  const id = await engine.execute({ command: exec('true'), requires: 'late', queueTimeoutMs: 100 });
  const fresh = await engine.execute({ command: exec('true'), requires: 'late', queueTimeoutMs: 60_000 });
  await new Promise((resolve) => setTimeout(resolve, 300)); // longer than its queueTimeoutMs, no worker yet
  await spawnWorker({ connection: redis.connection, capabilities: ['late'] });
  const expired = await engine.waitForCompletion(id);
  expect(expired.status).toBe('failed');
  expect(expired.error?.code).toBe('EXPIRED');
  expect(expired.attempts).toEqual([]);
  expect((await engine.waitForCompletion(fresh)).status).toBe('completed');
});

it("applies the worker's output limit: lines past it are sent live, not kept for replay", async () => {
  await spawnWorker({
    connection: redis.connection,
    capabilities: ['small'],
    engine: { maxOutputSizeBytes: 1000 },
  });
  const engine = createDistributedEngine({ connection: redis.connection });
  const live: string[] = [];
  engine.on('stdout', (event) => live.push(event.line));
  const result = await engine.run({ command: exec('seq', ['1', '2000']), requires: 'small' });
  expect(result.stdoutTruncated).toBe(true);
  expect(live).toEqual(Array.from({ length: 2000 }, (_, i) => String(i + 1)));
  const replayed: string[] = [];
  let truncated = false;
  for await (const event of engine.subscribe(result.id)) {
    if (event.type === 'stdout') replayed.push(event.line);
    if (event.type === 'outputTruncated') truncated = true;
  }
  expect(truncated).toBe(true);
  expect(replayed.length).toBeLessThan(1000);
  expect(replayed).toEqual(live.slice(0, replayed.length));
});

it("leaves the timeout cap to each worker: one over a worker's maxTimeoutMs ends failed, naming the worker", async () => {
  const worker = await spawnWorker({
    connection: redis.connection,
    capabilities: ['capped'],
    engine: { maxTimeoutMs: 60_000 },
  });
  const engine = createDistributedEngine({ connection: redis.connection });
  const refused = await engine.waitForCompletion(
    await engine.execute({ command: exec('true'), requires: 'capped', timeoutMs: 7_200_000 }),
  );
  expect(refused.status).toBe('failed');
  expect(refused.error?.code).toBe('SPAWN_FAILED');
  expect(refused.error?.message).toContain(worker.id);
  expect(refused.error?.message).toContain('timeoutMs');
  const accepted = await engine.run({ command: exec('true'), requires: 'capped', timeoutMs: 30_000 });
  expect(accepted.status).toBe('completed');
});
