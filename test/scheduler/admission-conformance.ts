import { afterEach, describe, expect, test } from 'vitest';
import { ConcurrencyLimitReachedError } from '../../src/errors.js';
import type { Admission, AdmissionFactory, AdmissionLimits } from '../../src/scheduler/admission.js';
import { describeAdmissionGroupsConformance } from './admission-conformance-groups.js';

/**
 * The one conformance suite of the `Admission` port (src/scheduler/admission.ts): every
 * implementation, the built-in `Scheduler` and any later one (a BullMQ worker), must pass it. Call
 * it inside a test file with a name and a factory. Executions are plain callbacks here: admission
 * only decides when `start` runs. Priorities, groups, fairness, per-group pacing and deadlines are
 * in `admission-conformance-groups.ts`, run from here.
 */
export function describeAdmissionConformance(name: string, make: AdmissionFactory): void {
  describe(`Admission conformance: ${name}`, () => {
    const made: Admission[] = [];
    afterEach(() => {
      // drain() also stops a pacing timer, so nothing outlives the test.
      for (const admission of made.splice(0)) admission.drain();
    });

    function admission(limits: Partial<AdmissionLimits> = {}): Admission {
      const built = make({
        maxConcurrentExecutions: 1,
        onConcurrencyLimit: 'queue',
        maxQueuedExecutions: 10_000,
        minStartIntervalMs: 0,
        ...limits,
      });
      made.push(built);
      return built;
    }

    /** Submits `id`, recording its start in `started`; returns what `submit` returned. */
    function submit(target: Admission, started: string[], id: string): number {
      return target.submit(id, () => started.push(id));
    }

    test('with a free slot, start runs before submit returns, and submit returns 0', () => {
      const target = admission();
      const started: string[] = [];
      expect(submit(target, started, 'a')).toBe(0);
      expect(started).toEqual(['a']);
      expect(target).toMatchObject({ running: 1, queued: 0 });
    });

    test('waiting executions start in submission order as slots are released', () => {
      const target = admission({ maxConcurrentExecutions: 2 });
      const started: string[] = [];
      for (const id of ['a', 'b', 'c', 'd', 'e']) submit(target, started, id);
      expect(started).toEqual(['a', 'b']);
      target.release('a');
      expect(started).toEqual(['a', 'b', 'c']);
      target.release('b');
      target.release('c');
      expect(started).toEqual(['a', 'b', 'c', 'd', 'e']);
    });

    test('never more than maxConcurrentExecutions hold a slot', () => {
      const target = admission({ maxConcurrentExecutions: 3 });
      const started: string[] = [];
      for (let i = 0; i < 10; i++) submit(target, started, `job-${i}`);
      expect(started).toHaveLength(3);
      expect(target).toMatchObject({ running: 3, queued: 7 });
      let peak = 0;
      for (let i = 0; i < 7; i++) {
        target.release(started[i]!);
        peak = Math.max(peak, target.running);
      }
      expect(peak).toBe(3);
      expect(started).toHaveLength(10);
    });

    test('a slot is held until release(), not until start returns', () => {
      const target = admission();
      const started: string[] = [];
      submit(target, started, 'a');
      expect(submit(target, started, 'b')).toBe(1);
      expect(started).toEqual(['a']);
      expect(target).toMatchObject({ running: 1, queued: 1 });
    });

    test('release() starts the next waiting execution before it returns', () => {
      const target = admission();
      const started: string[] = [];
      submit(target, started, 'a');
      submit(target, started, 'b');
      target.release('a');
      expect(started).toEqual(['a', 'b']);
      expect(target).toMatchObject({ running: 1, queued: 0 });
      target.release('b');
      expect(target).toMatchObject({ running: 0, queued: 0 });
    });

    test('submit returns the 1-based queue position of a waiting execution', () => {
      const target = admission();
      const started: string[] = [];
      expect(['a', 'b', 'c', 'd'].map((id) => submit(target, started, id))).toEqual([0, 1, 2, 3]);
      target.remove('b');
      expect(submit(target, started, 'e')).toBe(3);
      target.release('a');
      expect(started).toEqual(['a', 'c']);
      expect(submit(target, started, 'f')).toBe(3);
    });

    test('remove() takes a waiting execution out of the queue, and it never starts', () => {
      const target = admission();
      const started: string[] = [];
      for (const id of ['a', 'b', 'c', 'd']) submit(target, started, id);
      expect(target.remove('c')).toBe(true);
      expect(target.queued).toBe(2);
      for (const id of ['a', 'b', 'd']) target.release(id);
      expect(started).toEqual(['a', 'b', 'd']);
    });

    test('remove() of an unknown, started or already removed execution returns false', () => {
      const target = admission();
      const started: string[] = [];
      submit(target, started, 'a');
      submit(target, started, 'b');
      expect(target.remove('a')).toBe(false);
      expect(target.remove('unknown')).toBe(false);
      expect(target.remove('b')).toBe(true);
      expect(target.remove('b')).toBe(false);
      expect(target).toMatchObject({ running: 1, queued: 0 });
    });

    test('remove() is cheap (O(log n) or better): 50,000 waiting executions removed in random order', () => {
      const target = admission({ maxQueuedExecutions: 50_000 });
      target.submit('running', () => {});
      const ids = Array.from({ length: 50_000 }, (_, i) => `job-${i}`);
      for (const id of ids) target.submit(id, () => {});
      for (let i = ids.length - 1; i > 0; i--) {
        const j = Math.floor(Math.random() * (i + 1));
        [ids[i], ids[j]] = [ids[j]!, ids[i]!];
      }
      const t0 = performance.now();
      for (const id of ids) target.remove(id);
      const elapsed = performance.now() - t0;
      expect(target.queued).toBe(0);
      // O(1) or O(log n): tens of ms, a few hundred on a very busy machine. A list scanned per
      // removal (O(n)) takes minutes.
      expect(elapsed).toBeLessThan(2000);
    });

    test('drain() returns the waiting ids oldest first and empties the queue; none of them starts', () => {
      const target = admission();
      const started: string[] = [];
      for (const id of ['a', 'b', 'c', 'd']) submit(target, started, id);
      target.remove('c');
      expect(target.drain()).toEqual(['b', 'd']);
      expect(target).toMatchObject({ running: 1, queued: 0 });
      target.release('a');
      expect(started).toEqual(['a']);
      expect(target.drain()).toEqual([]);
    });

    test('occupy() holds a slot past the limit and starts nothing; release() frees it', () => {
      const target = admission();
      const started: string[] = [];
      submit(target, started, 'a');
      submit(target, started, 'b');
      target.occupy('adopted');
      expect(target).toMatchObject({ running: 2, queued: 1 });
      target.release('adopted');
      expect(started).toEqual(['a']);
      target.release('a');
      expect(started).toEqual(['a', 'b']);
    });

    test('an occupied slot counts against the limit', () => {
      const target = admission({ maxConcurrentExecutions: 2 });
      const started: string[] = [];
      target.occupy('adopted');
      expect(submit(target, started, 'a')).toBe(0);
      expect(submit(target, started, 'b')).toBe(1);
      target.release('adopted');
      expect(started).toEqual(['a', 'b']);
    });

    test("'reject' mode refuses when every slot is taken, with the concurrency limit", () => {
      const target = admission({ maxConcurrentExecutions: 2, onConcurrencyLimit: 'reject' });
      const started: string[] = [];
      target.assertAccepts();
      submit(target, started, 'a');
      target.assertAccepts();
      submit(target, started, 'b');
      expect(() => target.assertAccepts()).toThrow(ConcurrencyLimitReachedError);
      expect(() => target.assertAccepts()).toThrow(expect.objectContaining({ limit: 2 }));
      target.release('a');
      expect(() => target.assertAccepts()).not.toThrow();
    });

    test("'queue' mode refuses beyond maxQueuedExecutions, with the queue limit", () => {
      const target = admission({ maxQueuedExecutions: 2 });
      const started: string[] = [];
      for (const id of ['a', 'b', 'c']) {
        target.assertAccepts();
        submit(target, started, id);
      }
      expect(() => target.assertAccepts()).toThrow(ConcurrencyLimitReachedError);
      expect(() => target.assertAccepts()).toThrow(expect.objectContaining({ limit: 2 }));
      target.remove('c');
      expect(() => target.assertAccepts()).not.toThrow();
    });

    test('a start that releases its own slot at once keeps the order and the limit', () => {
      // A spawn that fails synchronously ends its execution inside `start`.
      const target = admission({ maxConcurrentExecutions: 2 });
      const started: string[] = [];
      let peak = 0;
      const failing = (id: string) => () => {
        started.push(id);
        peak = Math.max(peak, target.running);
        target.release(id);
      };
      target.submit('a', () => started.push('a'));
      target.submit('b', () => started.push('b'));
      for (const id of ['c', 'd', 'e']) target.submit(id, failing(id));
      target.submit('f', () => started.push('f'));
      target.release('a');
      expect(started).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
      expect(peak).toBeLessThanOrEqual(2);
      expect(target).toMatchObject({ running: 2, queued: 0 });
    });

    test('pacing: starts are minStartIntervalMs apart, from the end of one start to the beginning of the next', async () => {
      const interval = 40;
      const target = admission({ maxConcurrentExecutions: 10, minStartIntervalMs: interval });
      const begins: number[] = [];
      const ends: number[] = [];
      const count = 5;
      await new Promise<void>((done) => {
        for (let i = 0; i < count; i++) {
          const position = target.submit(`job-${i}`, () => {
            begins.push(performance.now());
            // A start (a spawn) that takes time: the interval counts from its end.
            const until = performance.now() + (i % 2 === 0 ? 15 : 0);
            while (performance.now() < until);
            ends.push(performance.now());
            if (ends.length === count) done();
          });
          expect(position).toBe(i === 0 ? 0 : i);
        }
      });
      const gaps = begins.slice(1).map((begin, i) => begin - ends[i]!);
      for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(interval);
    });

    test('pacing: an execution with a free slot waits in the queue for the interval', async () => {
      const target = admission({ maxConcurrentExecutions: 10, minStartIntervalMs: 30 });
      const started: string[] = [];
      expect(submit(target, started, 'a')).toBe(0);
      expect(submit(target, started, 'b')).toBe(1);
      expect(target).toMatchObject({ running: 1, queued: 1 });
      await new Promise((resolve) => setTimeout(resolve, 80));
      expect(started).toEqual(['a', 'b']);
      expect(target).toMatchObject({ running: 2, queued: 0 });
    });

    test('pacing: drain() and remove() leave nothing to start later', async () => {
      const target = admission({ maxConcurrentExecutions: 10, minStartIntervalMs: 20 });
      const started: string[] = [];
      for (const id of ['a', 'b', 'c', 'd']) submit(target, started, id);
      target.remove('b');
      expect(target.drain()).toEqual(['c', 'd']);
      await new Promise((resolve) => setTimeout(resolve, 60));
      expect(started).toEqual(['a']);
    });
  });
  describeAdmissionGroupsConformance(name, make);
}
