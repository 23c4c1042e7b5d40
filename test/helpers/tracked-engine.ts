import { type ExecutionEngine, exec } from '../../src/index.js';
import { createEngine } from './engine.js';

export { createEngine, shutDownEngines as shutDownTrackedEngines } from './engine.js';

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

/** An engine with one completed and one running (`sleep 0.3`) execution. */
export async function engineWithTwo(): Promise<{ engine: ExecutionEngine; done: string; running: string }> {
  const engine = createEngine();
  const done = await engine.execute({ command: exec('true') });
  await engine.waitForCompletion(done);
  const running = await engine.execute({ command: exec('sleep', ['0.3']) });
  return { engine, done, running };
}
