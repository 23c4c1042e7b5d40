import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { exec, type OutputEvent, shell } from '../../src/index.js';
import { createDistributedEngine, spawnWorker } from '../helpers/distributed.js';
import { fixture, node } from '../helpers/fixtures.js';
import { isAlive } from '../helpers/processes.js';
import { startRedis, type TestRedis } from '../helpers/redis.js';

/** Executions of the fan-out test (STRESS=1: 5,000). */
const COUNT = process.env.STRESS === '1' ? 5000 : 1000;

let redis: TestRedis;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis.dispose();
});

/** Runs test-scripts/distributed-client.ts; `onLine` sees each line it prints. */
function client(args: string[], onLine: (line: string) => void = () => {}) {
  const child = spawn(
    node,
    ['--import', 'tsx', fixture('distributed-client.ts'), String(redis.port), ...args],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const lines: string[] = [];
  createInterface({ input: child.stdout }).on('line', (line) => {
    lines.push(line);
    onLine(line);
  });
  const done = new Promise<string[]>((resolve) => child.once('close', () => resolve(lines)));
  return { child, done };
}

it(`runs ${COUNT} executions on 3 worker processes by capability, each line delivered once, in order`, async () => {
  const workers = await Promise.all(
    [['default'], ['alpha'], ['beta']].map((capabilities) =>
      spawnWorker({ connection: redis.connection, capabilities, concurrency: 16 }),
    ),
  );
  const engine = createDistributedEngine({ connection: redis.connection });
  const lines = new Map<string, string[]>();
  const ranOn = new Map<string, string>();
  engine.on('output', (event: OutputEvent) => {
    const seen = lines.get(event.executionId) ?? [];
    seen.push(...event.lines);
    lines.set(event.executionId, seen);
  });
  engine.on('started', (event) => ranOn.set(event.executionId, (event as { worker?: string }).worker ?? ''));
  const capabilities = ['default', 'alpha', 'beta'];
  const ids = await Promise.all(
    Array.from({ length: COUNT }, (_, i) =>
      engine.execute({
        command: exec('printf', [`${i} a\\n${i} b\\n${i} c\\n`]),
        requires: capabilities[i % 3],
        metadata: { i },
      }),
    ),
  );
  const results = await Promise.all(ids.map((id) => engine.waitForCompletion(id, { timeoutMs: 120_000 })));
  results.forEach((result, i) => {
    expect(result.stdout).toBe(`${i} a\n${i} b\n${i} c`);
    expect(lines.get(result.id)).toEqual([`${i} a`, `${i} b`, `${i} c`]);
    expect(ranOn.get(result.id)).toBe(workers[i % 3]?.id);
  });
}, 150_000);

it('cancels from a DistributedEngine in another process, reaching the worker that runs it', async () => {
  await spawnWorker({ connection: redis.connection });
  const engine = createDistributedEngine({ connection: redis.connection });
  const id = await engine.execute({ command: exec('sleep', ['30']) });
  const pid = await new Promise<number>((resolve) => {
    engine.on('started', (event) => event.executionId === id && resolve(event.pid));
  });
  const lines = await client(['cancel', id, 'from elsewhere']).done;
  expect(lines).toEqual(['true', 'cancelled']);
  const result = await engine.waitForCompletion(id);
  expect(result.status).toBe('cancelled');
  expect(isAlive(pid)).toBe(false);
}, 30_000);

it('lets a subscriber in a third process join mid-run: replay then live, no gap, no duplicate', async () => {
  await spawnWorker({ connection: redis.connection });
  const engine = createDistributedEngine({ connection: redis.connection });
  const flag = `${redis.dir}/go`;
  // Prints 1-3, waits until the subscriber has joined, then prints 4-6.
  const id = await engine.execute({
    command: shell(
      `echo 1; echo 2; echo 3; while [ ! -f ${flag} ]; do sleep 0.02; done; echo 4; echo 5; echo 6`,
    ),
  });
  await new Promise<void>((resolve) => {
    engine.on('stdout', (event) => event.executionId === id && event.line === '3' && resolve());
  });
  const { writeFileSync } = await import('node:fs');
  const subscriber = client(['subscribe', id], (line) => {
    if (line.includes('"line":"3"')) writeFileSync(flag, ''); // it has replayed the first part
  });
  const printed = await subscriber.done;
  const events = printed
    .slice(1, -1)
    .map((line) => JSON.parse(line) as { type: string; seq: number; line?: string });
  expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
  expect(events.filter((e) => e.type === 'stdout').map((e) => e.line)).toEqual([
    '1',
    '2',
    '3',
    '4',
    '5',
    '6',
  ]);
  expect(events.at(-1)?.type).toBe('completed');
}, 30_000);
