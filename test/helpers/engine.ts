import { afterEach } from 'vitest';
import { type ExecutionConfig, ExecutionEngine } from '../../src/index.js';

const engines = new Set<ExecutionEngine>();

/**
 * An engine with test-friendly defaults (short kill grace, no cleanup timer), shut down (killing
 * whatever still runs) after each test of any file that imports this helper.
 */
export function createEngine(config: Partial<ExecutionConfig> = {}): ExecutionEngine {
  const engine = new ExecutionEngine({ killGraceMs: 300, enableAutoCleanup: false, ...config });
  engines.add(engine);
  return engine;
}

/** Shuts down every engine made by {@link createEngine} so far. */
export async function shutDownEngines(): Promise<void> {
  const all = [...engines];
  engines.clear();
  await Promise.all(all.map((engine) => engine.shutdown({ graceMs: 0 })));
}

afterEach(shutDownEngines);
