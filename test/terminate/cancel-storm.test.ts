import { describe, expect, test } from 'vitest';
import { type ExecutionResult, shell } from '../../src/index.js';
import { createEngine } from '../helpers/engine.js';
import { liveMembersOf, trackGroups, within } from './groups.js';

const EXECUTIONS = 300;
const CONCURRENCY = 50;
const GRACE_MS = 200;
/** Generous on a loaded 2-core machine: a cancel takes about GRACE_MS when nothing else runs. */
const CANCEL_BOUND_MS = 10_000;

// Regression: a group's liveness was decided from a shared /proc scan that had started before the
// group existed (or before the signal was sent), so a group ignoring SIGTERM was taken for gone,
// never got SIGKILL, and its cancel() (and its slot) hung forever.
describe('cancel storm', () => {
  test('every cancel of a SIGTERM-ignoring command resolves true about killGraceMs later, and nothing survives', async () => {
    const engine = createEngine({ maxConcurrentExecutions: CONCURRENCY, killGraceMs: GRACE_MS });
    const groups = trackGroups(engine);
    const cancels: Promise<{ cancelled: boolean; ms: number }>[] = [];
    engine.on('stdout', (event) => {
      if (event.line !== 'ready') return;
      const sent = performance.now();
      cancels.push(
        engine.cancel(event.executionId).then((cancelled) => ({ cancelled, ms: performance.now() - sent })),
      );
    });
    try {
      const ids: string[] = [];
      for (let i = 0; i < EXECUTIONS; i++) {
        ids.push(await engine.execute({ command: shell("trap '' TERM; echo ready; exec sleep 1000") }));
      }
      const results: ExecutionResult[] = await within(
        Promise.all(ids.map((id) => engine.waitForCompletion(id))),
        60_000,
        () => `executions still not terminal after 60 s: ${JSON.stringify(engine.stats())}`,
      );
      const outcomes = await within(
        Promise.all(cancels),
        CANCEL_BOUND_MS,
        () => 'cancel() calls still pending',
      );

      expect(results.filter((result) => result.status !== 'cancelled')).toEqual([]);
      expect(outcomes).toHaveLength(EXECUTIONS);
      expect(outcomes.filter((outcome) => !outcome.cancelled)).toEqual([]);
      // SIGTERM is ignored, so each cancel takes the grace, then SIGKILL ends it.
      const durations = outcomes.map((outcome) => outcome.ms);
      expect(Math.min(...durations)).toBeGreaterThanOrEqual(GRACE_MS - 10);
      expect(Math.max(...durations)).toBeLessThan(CANCEL_BOUND_MS);
      expect(engine.stats().running).toBe(0);
      expect(engine.stats().queued).toBe(0);
      expect(groups.pgids.size).toBe(EXECUTIONS);
      expect(liveMembersOf(groups.pgids)).toEqual([]);
    } finally {
      groups.cleanup();
    }
  }, 120_000);
});
