import { afterEach } from 'vitest';
import { type ExecutionConfig, ExecutionEngine } from '../../src/index.js';

const engines = new Set<ExecutionEngine>();

/** An engine with test-friendly defaults, shut down (killing what runs) after each test. */
export function createEngine(config: Partial<ExecutionConfig> = {}): ExecutionEngine {
  const engine = new ExecutionEngine({ killGraceMs: 300, enableAutoCleanup: false, ...config });
  engines.add(engine);
  return engine;
}

afterEach(async () => {
  const all = [...engines];
  engines.clear();
  await Promise.all(all.map((engine) => engine.shutdown({ graceMs: 0 })));
});
