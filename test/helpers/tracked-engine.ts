import { type ExecutionConfig, ExecutionEngine } from '../../src/index.js';

const engines = new Set<ExecutionEngine>();

/**
 * A new engine that {@link shutDownTrackedEngines} will shut down. `killGraceMs` defaults to
 * 200 so a test that has to kill something does not wait 5 s for it.
 */
export function createEngine(config: Partial<ExecutionConfig> = {}): ExecutionEngine {
  const engine = new ExecutionEngine({ killGraceMs: 200, ...config });
  engines.add(engine);
  return engine;
}

/** For `afterEach`: shuts down (killing whatever still runs) every engine made by {@link createEngine}. */
export async function shutDownTrackedEngines(): Promise<void> {
  const pending = [...engines];
  engines.clear();
  await Promise.all(pending.map((engine) => engine.shutdown({ graceMs: 0 })));
}

/** The error a promise rejects with; fails the test if it resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('Expected the promise to reject, but it resolved');
}

/** The error a function throws; fails the test if it returns. */
export function thrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('Expected the function to throw, but it returned');
}
