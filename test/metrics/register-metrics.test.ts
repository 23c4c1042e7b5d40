import { EventEmitter } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { register as globalRegistry, Registry } from 'prom-client';
import { afterEach, describe, expect, test } from 'vitest';
import { exec, InvalidConfigError, isExecutionError } from '../../src/index.js';
import { registerMetrics } from '../../src/metrics/index.js';
import { createEngine } from '../helpers/engine.js';
import { fixture, node } from '../helpers/fixtures.js';
import { type Family, sampleValue, scrape, seriesCount, serveMetrics } from '../helpers/prometheus-text.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A registry with the engine's metrics, served at a real `/metrics` endpoint. */
async function served(engine: Parameters<typeof registerMetrics>[0], options: { prefix?: string } = {}) {
  const registry = new Registry();
  const stop = registerMetrics(engine, { registry, ...options });
  const server = await serveMetrics(registry);
  cleanups.push(() => server.close(), stop);
  return { registry, stop, url: server.url };
}

const SPEC_METRICS: [string, string, string[]][] = [
  ['execution_engine_executions_started_total', 'counter', ['group', 'kind']],
  ['execution_engine_executions_finished_total', 'counter', ['status', 'group', 'kind']],
  ['execution_engine_execution_duration_seconds', 'histogram', ['status', 'group', 'kind']],
  ['execution_engine_queue_wait_seconds', 'histogram', ['group']],
  ['execution_engine_running', 'gauge', ['group']],
  ['execution_engine_queued', 'gauge', ['group']],
  ['execution_engine_output_bytes_total', 'counter', ['stream']],
  ['execution_engine_output_limit_reached_total', 'counter', ['strategy']],
  ['execution_engine_retries_total', 'counter', ['group']],
  ['execution_engine_spawn_failures_total', 'counter', []],
  ['execution_engine_recovered_total', 'counter', ['classification']],
  ['execution_engine_pipelines_finished_total', 'counter', ['status']],
];

describe('registerMetrics, scraped over HTTP', () => {
  test('every metric of the contract with its type, help and labels, and nothing else', async () => {
    const engine = createEngine();
    const { url } = await served(engine);
    await engine.run({ command: exec(node, [fixture('print-lines.js'), '3', 'both']), group: 'tenant-a' });
    await engine.run({ command: exec(node, [fixture('exit-with.js'), '3']) }).catch(() => {});
    const families = await scrape(url);
    expect([...families.keys()].sort()).toEqual(SPEC_METRICS.map(([name]) => name).sort());
    for (const [name, type, labels] of SPEC_METRICS) {
      const family = families.get(name) as Family;
      expect(family.type, name).toBe(type);
      expect(family.help.length, name).toBeGreaterThan(10);
      for (const sample of family.samples) {
        const names = Object.keys(sample.labels).filter((label) => label !== 'le');
        expect(names.sort(), name).toEqual([...labels].sort());
      }
    }
  });

  test('counts ended pipelines by status, once each, not their steps', async () => {
    const engine = createEngine();
    const { url } = await served(engine);
    const ok = { command: exec('true') };
    await engine.runPipeline({
      steps: [
        { key: 'a', request: ok },
        { key: 'b', request: ok, dependsOn: ['a'] },
      ],
    });
    await engine.runPipeline({ steps: [{ key: 'a', request: ok }] });
    const failing = {
      steps: [{ key: 'x', request: { command: exec(node, [fixture('exit-with.js'), '3']) } }],
    };
    await engine.runPipeline(failing).catch(() => {});
    const slow = await engine.startPipeline({
      steps: [{ key: 's', request: { command: exec('sleep', ['30']) } }],
    });
    await engine.cancelPipeline(slow);
    const families = await scrape(url);
    const name = 'execution_engine_pipelines_finished_total';
    expect(sampleValue(families, name, { status: 'completed' })).toBe(2);
    expect(sampleValue(families, name, { status: 'failed' })).toBe(1);
    expect(sampleValue(families, name, { status: 'cancelled' })).toBe(1);
    expect(families.get(name)!.samples).toHaveLength(3);
  });

  test('counts starts, ends, durations, queue waits and output bytes with fixed labels', async () => {
    const engine = createEngine({ maxConcurrentExecutions: 1 });
    const { url } = await served(engine);
    await engine.run({ command: exec(node, [fixture('print-lines.js'), '2']), group: 'tenant-a' });
    await engine
      .run({ command: exec(node, [fixture('exit-with.js'), '3']), group: 'tenant-a' })
      .catch(() => {});
    await engine.run({ command: exec('/nonexistent/program') }).catch(() => {});
    const families = await scrape(url);
    const started = 'execution_engine_executions_started_total';
    const finished = 'execution_engine_executions_finished_total';
    expect(sampleValue(families, started, { group: 'tenant-a', kind: 'exec' })).toBe(2);
    expect(sampleValue(families, finished, { status: 'completed', group: 'tenant-a', kind: 'exec' })).toBe(2);
    expect(sampleValue(families, finished, { status: 'failed', group: 'none', kind: 'exec' })).toBe(1);
    expect(sampleValue(families, 'execution_engine_spawn_failures_total')).toBe(1);
    const durations = 'execution_engine_execution_duration_seconds_count';
    expect(sampleValue(families, durations, { status: 'completed', group: 'tenant-a', kind: 'exec' })).toBe(
      2,
    );
    expect(sampleValue(families, 'execution_engine_queue_wait_seconds_count', { group: 'tenant-a' })).toBe(2);
    // `line 1\nline 2\n` on stdout, `exiting 3\n` on stderr.
    expect(sampleValue(families, 'execution_engine_output_bytes_total', { stream: 'stdout' })).toBe(14);
    expect(sampleValue(families, 'execution_engine_output_bytes_total', { stream: 'stderr' })).toBe(10);
  });

  test('running and queued gauges by group, `none` for executions without one', async () => {
    const engine = createEngine({ maxConcurrentExecutions: 2 });
    const { url } = await served(engine);
    const sleep = exec('sleep', ['30']);
    await engine.execute({ command: sleep, group: 'a' });
    await engine.execute({ command: sleep });
    await engine.execute({ command: sleep, group: 'a' });
    await engine.execute({ command: sleep });
    let families = await scrape(url);
    expect(sampleValue(families, 'execution_engine_running', { group: 'a' })).toBe(1);
    expect(sampleValue(families, 'execution_engine_running', { group: 'none' })).toBe(1);
    expect(sampleValue(families, 'execution_engine_queued', { group: 'a' })).toBe(1);
    expect(sampleValue(families, 'execution_engine_queued', { group: 'none' })).toBe(1);
    await engine.shutdown({ graceMs: 0 });
    families = await scrape(url);
    expect(families.get('execution_engine_running')?.samples).toEqual([
      { name: 'execution_engine_running', labels: { group: 'none' }, value: 0 },
    ]);
    expect(
      sampleValue(families, 'execution_engine_executions_finished_total', {
        status: 'cancelled',
        group: 'a',
      }),
    ).toBe(2);
  });

  test('retries, output limits and kind labels', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'metrics-retry-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const engine = createEngine({ maxOutputSizeBytes: 100, oversizedOutputStrategy: 'truncateWithWarning' });
    const { url } = await served(engine);
    const retry = { attempts: 3, delayMs: 10, jitter: false };
    await engine.run({
      command: exec(node, [fixture('fail-times.js'), join(dir, 'n'), '2']),
      group: 'g',
      retry,
    });
    await engine.run({ command: exec(node, [fixture('print-lines.js'), '100']) });
    await engine.run({ command: { type: 'shell', command: 'true' } });
    const families = await scrape(url);
    expect(sampleValue(families, 'execution_engine_retries_total', { group: 'g' })).toBe(2);
    expect(sampleValue(families, 'execution_engine_queue_wait_seconds_count', { group: 'g' })).toBe(3);
    expect(sampleValue(families, 'execution_engine_executions_started_total', { group: 'g' })).toBe(1);
    expect(
      sampleValue(families, 'execution_engine_output_limit_reached_total', {
        strategy: 'truncateWithWarning',
      }),
    ).toBe(1);
    expect(sampleValue(families, 'execution_engine_executions_started_total', { kind: 'shell' })).toBe(1);
  });

  test('the number of series stays fixed however many executions with distinct ids and arguments run', async () => {
    const engine = createEngine({ maxConcurrentExecutions: 8, maxInMemoryExecutions: 10 });
    const { registry } = await served(engine);
    const runBatch = (from: number, count: number) =>
      Promise.all(
        Array.from({ length: count }, (_, i) =>
          engine.run({ id: `job-${from + i}`, command: exec('/bin/echo', [`argument-${from + i}`]) }),
        ),
      );
    await runBatch(0, 20);
    const after20 = await seriesCount(registry);
    await runBatch(20, 300);
    expect(await seriesCount(registry)).toBe(after20);
  });
});

/**
 * A stand-in for the engine's public API (`on`/`off`/`stats`/`getExecution`), to put 100,000
 * executions through the metrics in a test's time; the real engine's events are covered above.
 */
class EventSource extends EventEmitter {
  stats() {
    return { queued: 0, running: 0, groups: {}, outputBytes: { stdout: 0, stderr: 0 } };
  }
  getExecution(id: string) {
    return { id, createdAt: new Date(0), group: `g${Number(id.slice(3)) % 3}`, commandType: 'exec' };
  }
}

test('100,000 executions with distinct ids, arguments and exit codes add no series', async () => {
  const source = new EventSource();
  const registry = new Registry();
  cleanups.push(registerMetrics(source as never, { registry }));
  const run = (i: number) => {
    const executionId = `id-${i}`;
    source.emit('started', {
      executionId,
      timestamp: 10,
      attempt: 1,
      pid: 1000 + i,
      command: { file: 'x', args: [String(i)] },
    });
    const result = {
      id: executionId,
      status: 'completed',
      exitCode: i % 256,
      group: `g${i % 3}`,
      commandType: 'exec',
      startedAt: new Date(0),
      durationMs: i % 5000,
    };
    source.emit('completed', { executionId, timestamp: 20, result });
  };
  for (let i = 0; i < 1000; i++) run(i);
  const before = await seriesCount(registry);
  for (let i = 1000; i < 100_000; i++) run(i);
  expect(await seriesCount(registry)).toBe(before);
  expect(await registry.metrics()).not.toMatch(/id-\d|exitCode|argument/);
});

describe('registry ownership', () => {
  test('stop() unregisters every metric and stops listening; the global registry is never touched', async () => {
    globalRegistry.clear();
    const engine = createEngine();
    const registry = new Registry();
    const stop = registerMetrics(engine, { registry, prefix: 'jobs_' });
    await engine.run({ command: exec('true') });
    expect(registry.getMetricsAsArray().map((m) => m.name)).toContain('jobs_executions_started_total');
    expect(globalRegistry.getMetricsAsArray()).toEqual([]);
    stop();
    expect(registry.getMetricsAsArray()).toEqual([]);
    expect(engine.listenerCount('started')).toBe(0);
    expect(engine.listenerCount('completed')).toBe(0);
    // Registering again after stop() works: nothing was left behind.
    cleanups.push(registerMetrics(engine, { registry, prefix: 'jobs_' }));
  });

  test.each([
    ['registry', { registry: {} }, /`registry` to be a prom-client Registry/],
    ['registry', { registry: undefined }, /`registry` to be a prom-client Registry.*got `undefined`/],
    ['prefix', { prefix: 'bad prefix-' }, /`prefix`.*got `"bad prefix-"` \(string\)/],
    ['durationBuckets', { durationBuckets: [1, 1] }, /`durationBuckets`/],
    ['durationBuckets', { durationBuckets: [] }, /`durationBuckets`/],
  ])('bad %s: InvalidConfigError, nothing registered', (key, options, message) => {
    const engine = createEngine();
    const registry = new Registry();
    const call = () => registerMetrics(engine, { registry, ...options } as never);
    expect(call).toThrow(InvalidConfigError);
    expect(call).toThrow(message);
    try {
      call();
    } catch (error) {
      expect(isExecutionError(error) && (error as InvalidConfigError).key).toBe(key);
    }
    expect(registry.getMetricsAsArray()).toEqual([]);
    expect(engine.listenerCount('started')).toBe(0);
  });

  test('a name already registered is refused before anything is registered', () => {
    const engine = createEngine();
    const registry = new Registry();
    cleanups.push(registerMetrics(engine, { registry }));
    expect(() => registerMetrics(engine, { registry })).toThrow(/already|has one/);
    expect(registry.getMetricsAsArray()).toHaveLength(12);
    expect(engine.listenerCount('started')).toBe(1);
  });
});
