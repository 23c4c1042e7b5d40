import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { ExecutionEngine, exec, shell } from '../../src/index.js';
import { shutDownEngines, trackEngine } from './helpers/engines.js';
import { makeTempDir, removeTempDirs } from './helpers/temp-dir.js';

afterEach(async () => {
  await shutDownEngines();
  await removeTempDirs();
});

/** Resolves on the first turn in which `id` is registered, while `execute` is still writing the journal. */
async function registered(engine: ExecutionEngine, id: string): Promise<void> {
  for (;;) {
    try {
      engine.getStatus(id);
      return;
    } catch {
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
}

async function journaledEngine(): Promise<{ engine: ExecutionEngine; marker: string }> {
  const dir = await makeTempDir();
  const marker = join(await makeTempDir('journal-marker-'), 'ran');
  const engine = new ExecutionEngine({ journal: { dir }, maxConcurrentExecutions: 1, killGraceMs: 200 });
  trackEngine(engine);
  await engine.recover();
  return { engine, marker };
}

describe('cancel or shutdown while execute() writes the journal', () => {
  test('a cancel in that window frees the slot: the next execution runs', async () => {
    const { engine, marker } = await journaledEngine();
    const submitted = engine.execute({ id: 'x', command: shell(`touch ${marker}`) });
    await registered(engine, 'x');
    expect(engine.getStatus('x')).toBe('queued');
    await expect(engine.cancel('x')).resolves.toBe(true);
    await expect(submitted).resolves.toBe('x');
    expect(engine.getResult('x')?.status).toBe('cancelled');
    expect(engine.stats()).toMatchObject({ running: 0, queued: 0 });
    const next = await engine.run({ command: exec('true') });
    expect(next.status).toBe('completed');
    expect(existsSync(marker)).toBe(false);
  });

  test('a shutdown in that window cancels it cleanly and resolves once it is terminal', async () => {
    const { engine, marker } = await journaledEngine();
    const submitted = engine.execute({ id: 'x', command: shell(`touch ${marker}`) });
    await registered(engine, 'x');
    await engine.shutdown();
    await expect(submitted).resolves.toBe('x');
    const result = engine.getResult('x');
    expect(result?.status).toBe('cancelled');
    expect(result?.error).toBeUndefined();
    expect(engine.stats()).toMatchObject({ running: 0, queued: 0 });
    expect(existsSync(marker)).toBe(false);
  });
});
