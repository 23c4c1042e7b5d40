import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { afterEach, expect, test } from 'vitest';
import { registerMetrics } from '../../src/metrics/index.js';
import { createEngine } from '../helpers/engine.js';
import { parseExposition, sampleValue } from '../helpers/prometheus-text.js';
import { killHostWhen } from '../journal/helpers/host.js';
import { killStarted } from '../journal/helpers/processes.js';
import { makeTempDir, removeTempDirs } from '../journal/helpers/temp-dir.js';

afterEach(async () => {
  killStarted();
  await removeTempDirs();
});

test('recovered_total counts what recovery found after the previous host was SIGKILLed', async () => {
  const dir = await makeTempDir();
  const journal = join(dir, 'journal');
  const marks = join(dir, 'marks');
  await mkdir(marks);
  // Four jobs, two slots: killed once all are queued, two of them running.
  await killHostWhen('crash-host.ts', [journal, marks, '4', '2'], (line) => line === 'all queued');
  const engine = createEngine({ journal: { dir: journal } });
  const registry = new Registry();
  const stop = registerMetrics(engine, { registry });
  const report = await engine.recover();
  const families = parseExposition(await registry.metrics());
  const expected = new Map<string, number>();
  for (const { classification } of report.executions) {
    expected.set(classification, (expected.get(classification) ?? 0) + 1);
  }
  expect(report.executions.length).toBe(4);
  for (const [classification, count] of expected) {
    expect(sampleValue(families, 'execution_engine_recovered_total', { classification })).toBe(count);
  }
  await engine.shutdown({ graceMs: 0 });
  stop();
});
