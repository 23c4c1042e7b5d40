import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, test } from 'vitest';
import { exec } from '../../src/index.js';
import { fixture, node } from '../helpers/fixtures.js';
import { outputEngine } from '../helpers/output.js';
import { eventually, isAlive } from '../helpers/processes.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Heap in use after a full collection. */
function heapUsed(): number {
  gc();
  return process.memoryUsage().heapUsed;
}

/**
 * Resolves once `read()` has reached `atLeast` and then not changed for `quietMs`: progress has
 * stopped (rather than not started yet on a busy machine).
 */
async function stalled(read: () => number, atLeast: number, quietMs = 300): Promise<void> {
  let last = read();
  let since = Date.now();
  await eventually(() => {
    const now = read();
    if (now !== last) {
      last = now;
      since = Date.now();
    }
    return now >= atLeast && Date.now() - since >= quietMs;
  }, 10_000);
}

describe('back-pressure from slow async handlers', () => {
  test('a handler that does not settle pauses the output instead of buffering it, and nothing is lost', {
    timeout: 30_000,
  }, async () => {
    const count = 200_000;
    const width = 100;
    // 20 MB of output: kept whole, so that nothing but the handler limits it.
    const engine = outputEngine({ maxOutputSizeBytes: 64 * 1024 * 1024 });
    let openGate!: () => void;
    const gate = new Promise<void>((resolve) => {
      openGate = resolve;
    });
    let delivered = 0;
    let wrong = 0;
    let settled = 0;
    engine.addEventHandler({
      async handleEvent(event) {
        if (event.type !== 'stdout') return;
        delivered++;
        if (event.line !== `line ${delivered}`.padEnd(width, '.')) wrong++;
        await gate;
        settled++;
      },
    });
    const before = heapUsed();
    const id = await engine.execute({
      command: exec(node, [fixture('print-lines.js'), String(count), 'stdout', String(width)]),
    });
    // No event says "paused": wait until deliveries stop, past the 1000 unsettled calls that pause.
    await stalled(() => delivered, 1000);
    const growth = heapUsed() - before;
    const snapshot = engine.getExecution(id);
    expect(snapshot.status).toBe('running');
    // The process is blocked on its full pipe, not gone.
    expect(isAlive(snapshot.pid!)).toBe(true);
    // 1000 unsettled calls pause the pipes; the chunk being split and what was already read still arrive.
    expect(delivered).toBeGreaterThanOrEqual(1000);
    expect(delivered).toBeLessThan(20_000);
    expect(growth).toBeLessThan(20 * 1024 * 1024);

    openGate();
    const result = await engine.waitForCompletion(id);
    expect(result.status).toBe('completed');
    expect(delivered).toBe(count);
    expect(wrong).toBe(0);
    expect(await eventually(() => settled === count)).toBe(true);
  });

  // Regression: a handler that never settled kept a cancelled execution running forever.
  test('cancelling while a slow handler holds the output terminates the group without waiting for the handler', {
    timeout: 30_000,
  }, async () => {
    const engine = outputEngine({ maxOutputSizeBytes: 64 * 1024 * 1024 });
    let openGate!: () => void;
    const gate = new Promise<void>((resolve) => {
      openGate = resolve;
    });
    const lines: string[] = [];
    engine.addEventHandler({
      async handleEvent(event) {
        if (event.type !== 'stdout') return;
        lines.push(event.line);
        await gate;
      },
    });
    const id = await engine.execute({ command: exec(node, [fixture('print-lines.js'), '200000']) });
    await stalled(() => lines.length, 1000);
    const pid = engine.getExecution(id).pid!;
    // The gate stays closed: the group is terminated and what it had written is drained anyway.
    expect(await engine.cancel(id)).toBe(true);
    expect(engine.getStatus(id)).toBe('cancelled');
    expect(isAlive(pid)).toBe(false);
    openGate();
    // Every line in order; the last may be cut where the process was killed in mid-write.
    const last = lines.pop()!;
    expect(lines.findIndex((line, i) => line !== `line ${i + 1}`)).toBe(-1);
    expect(`line ${lines.length + 1}`.startsWith(last)).toBe(true);
  });

  test('a handler that settles slowly slows the process down and sees every line in order', {
    timeout: 30_000,
  }, async () => {
    const count = 5000;
    const width = 1000;
    const engine = outputEngine({ maxOutputSizeBytes: 64 * 1024 * 1024 });
    const seen: number[] = [];
    engine.addEventHandler({
      async handleEvent(event) {
        if (event.type !== 'stdout') return;
        seen.push(Number.parseInt(event.line.slice(5), 10));
        await new Promise((resolve) => setTimeout(resolve, 300));
      },
    });
    const result = await engine.run({
      command: exec(node, [fixture('print-lines.js'), String(count), 'stdout', String(width)]),
    });
    expect(result.status).toBe('completed');
    expect(seen).toEqual(Array.from({ length: count }, (_, i) => i + 1));
    // Paused at each 1000 unsettled calls until they settle 300 ms later: four pauses at least.
    expect(result.durationMs).toBeGreaterThanOrEqual(1000);
  });
});
