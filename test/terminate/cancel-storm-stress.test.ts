import { describe, expect, test } from 'vitest';
import { type ExecutionResult, exec } from '../../src/index.js';
import { createEngine } from '../helpers/engine.js';
import { fixture } from '../helpers/fixtures.js';
import { liveMembersOf, trackGroups, within } from './groups.js';

const STRESS = process.env.STRESS === '1';
const TREES = 1000;
const GRACE_MS = 200;
/** Longest acceptable time from a termination's request to the terminal status (loaded machine). */
const TERMINATION_BOUND_MS = 15_000;

/** How a tree is stopped: cancel once complete, cancel at a random moment, or a random timeout. */
type Stop = 'cancel-when-ready' | 'cancel-any-time' | 'timeout';
const STOPS: Stop[] = ['cancel-when-ready', 'cancel-any-time', 'timeout'];
const random = (min: number, max: number) => min + Math.floor(Math.random() * (max - min));

// Each tree is bash, a background sleep holding the pipes and a grandchild ignoring SIGTERM (in
// every fourth tree it keeps forking), so every termination needs SIGKILL for some member.
describe.skipIf(!STRESS)('cancel storm (stress)', () => {
  test(`${TREES} resistant trees at concurrency 50, cancelled or timed out: no hang, no survivor`, async () => {
    const engine = createEngine({
      maxConcurrentExecutions: 50,
      killGraceMs: GRACE_MS,
      maxInMemoryExecutions: 2 * TREES,
    });
    const groups = trackGroups(engine);
    const plan = new Map<string, Stop>();
    const timeouts = new Map<string, number>();
    const cancels: Promise<boolean>[] = [];
    // performance.now() of each execution's start, termination request and terminal status.
    const startedAt = new Map<string, number>();
    const readyAt = new Map<string, number>();
    const requested = new Map<string, number>();
    const endedAt = new Map<string, number>();
    const cancel = (id: string) => {
      if (requested.has(id)) return;
      requested.set(id, performance.now());
      cancels.push(engine.cancel(id));
    };
    const scheduled = new Set<string>();
    // Events may come before execute() resolves with the id: act once both are known.
    const act = (id: string) => {
      const stop = plan.get(id);
      if (stop === 'cancel-when-ready' && readyAt.has(id)) cancel(id);
      if (stop === 'cancel-any-time' && startedAt.has(id) && !scheduled.has(id)) {
        scheduled.add(id);
        setTimeout(() => cancel(id), random(0, 400));
      }
    };
    engine.on('started', (event) => {
      startedAt.set(event.executionId, performance.now());
      act(event.executionId);
    });
    engine.on('stdout', (event) => {
      if (event.line !== 'ready') return;
      readyAt.set(event.executionId, performance.now());
      act(event.executionId);
    });
    engine.on('event', (event) => {
      if (event.type === 'cancelled' || event.type === 'timeout' || event.type === 'failed') {
        endedAt.set(event.executionId, performance.now());
      }
    });
    const started = performance.now();
    try {
      const ids: string[] = [];
      for (let i = 0; i < TREES; i++) {
        const stop = STOPS[i % STOPS.length]!;
        const timeoutMs = stop === 'timeout' ? random(20, 600) : undefined;
        const id = await engine.execute({
          command: exec(fixture('resistant-tree.sh'), i % 4 === 0 ? ['churn'] : []),
          ...(timeoutMs === undefined ? {} : { timeoutMs }),
        });
        plan.set(id, stop);
        if (timeoutMs !== undefined) timeouts.set(id, timeoutMs);
        ids.push(id);
        act(id);
      }
      const results: ExecutionResult[] = await within(
        Promise.all(ids.map((id) => engine.waitForCompletion(id))),
        300_000,
        () => `executions still not terminal after 300 s: ${JSON.stringify(engine.stats())}`,
      );
      const elapsed = performance.now() - started;

      const expected = (id: string) => (plan.get(id) === 'timeout' ? 'timeout' : 'cancelled');
      expect(results.filter((result) => result.status !== expected(result.id))).toEqual([]);
      const cancelled = await within(Promise.all(cancels), 10_000, () => 'cancel() calls still pending');
      expect(cancelled).not.toContain(false);
      // From the termination's request (the cancel() call, or the timeout) to the terminal status.
      const latencies = ids.map((id) => {
        const asked = requested.get(id) ?? startedAt.get(id)! + timeouts.get(id)!;
        return endedAt.get(id)! - asked;
      });
      const slowest = Math.max(...latencies);
      console.log(
        `${TREES} trees: ${(elapsed / 1000).toFixed(1)} s, slowest termination ${slowest.toFixed(0)} ms`,
      );
      expect(slowest).toBeLessThan(TERMINATION_BOUND_MS);
      expect(engine.stats().running).toBe(0);
      expect(groups.pgids.size).toBe(TREES);
      expect(liveMembersOf(groups.pgids)).toEqual([]);
    } finally {
      groups.cleanup();
    }
  }, 600_000);
});
