import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { type Command, type ExecutionEngine, type ExecutionEvent, exec } from '../../src/index.js';
import { fixture, node } from './fixtures.js';

const dirs = new Set<string>();

/** A fresh counter file for `fail-times.js` in a temporary directory removed after the test. */
export function counterFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'execution-engine-retry-'));
  dirs.add(dir);
  return join(dir, 'runs');
}

/** How many times `fail-times.js` ran with this counter file. */
export function runsOf(counter: string): number {
  try {
    return Number(readFileSync(counter, 'utf8'));
  } catch {
    return 0;
  }
}

/** A command that fails its first `failures` runs (`how`: `exit:<code>`, `signal`, `hang`), then succeeds. */
export function failTimes(counter: string, failures: number, how = 'exit:1'): Command {
  return exec(node, [fixture('fail-times.js'), counter, String(failures), how]);
}

/** Every event of execution `id` emitted on `engine` from now on, in order. */
export function recordEvents(engine: ExecutionEngine): ExecutionEvent[] {
  const events: ExecutionEvent[] = [];
  engine.on('event', (event) => events.push(event));
  return events;
}

afterEach(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  dirs.clear();
});

/** Resolves with the next event of `type` on `engine` (attach before the action that emits it). */
export function nextEvent<T extends 'started' | 'stdout' | 'retrying'>(
  engine: ExecutionEngine,
  type: T,
): Promise<Extract<ExecutionEvent, { type: T }>> {
  return new Promise((resolve) => {
    engine.once(type, (event: ExecutionEvent) => resolve(event as Extract<ExecutionEvent, { type: T }>));
  });
}
