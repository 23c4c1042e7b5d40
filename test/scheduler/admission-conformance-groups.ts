import { afterEach, describe, expect, test } from 'vitest';
import { ConcurrencyLimitReachedError } from '../../src/errors.js';
import type {
  Admission,
  AdmissionFactory,
  AdmissionLimits,
  AdmissionOptions,
} from '../../src/scheduler/admission.js';
import { describePacingAndExpiry } from './admission-conformance-pacing.js';

/**
 * The part of the `Admission` conformance suite about priorities, groups, fairness, per-group
 * pacing and queue deadlines (called by `describeAdmissionConformance`).
 */
export function describeAdmissionGroupsConformance(name: string, make: AdmissionFactory): void {
  describe(`Admission conformance: ${name}: priority, groups, expiry`, () => {
    const made: Admission[] = [];
    afterEach(() => {
      for (const admission of made.splice(0)) admission.drain();
    });

    function admission(limits: Partial<AdmissionLimits> = {}): Admission {
      const built = make({
        maxConcurrentExecutions: 1,
        onConcurrencyLimit: 'queue',
        maxQueuedExecutions: 100_000,
        minStartIntervalMs: 0,
        ...limits,
      });
      made.push(built);
      return built;
    }

    /** Submits `id`, recording its start in `started`. */
    function submit(target: Admission, started: string[], id: string, options?: AdmissionOptions): number {
      return target.submit(id, () => started.push(id), options);
    }

    test('higher priority starts first; equal priorities in submission order', () => {
      const target = admission();
      const started: string[] = [];
      submit(target, started, 'running');
      submit(target, started, 'low', { priority: -1 });
      submit(target, started, 'a');
      submit(target, started, 'urgent', { priority: 10 });
      submit(target, started, 'b', { priority: 0 });
      submit(target, started, 'high', { priority: 5 });
      for (const id of ['running', 'urgent', 'high', 'a', 'b']) target.release(id);
      expect(started).toEqual(['running', 'urgent', 'high', 'a', 'b', 'low']);
    });

    test('the position counts the waiting executions of the same or a higher priority', () => {
      const target = admission();
      const started: string[] = [];
      submit(target, started, 'running');
      expect(submit(target, started, 'a')).toBe(1);
      expect(submit(target, started, 'b')).toBe(2);
      expect(submit(target, started, 'urgent', { priority: 3 })).toBe(1);
      expect(submit(target, started, 'c')).toBe(4);
      expect(submit(target, started, 'low', { priority: -2 })).toBe(5);
    });

    test("a group's maxConcurrent caps it under the global limit, and a group at its cap holds up nobody", () => {
      const target = admission({ maxConcurrentExecutions: 4, groups: { a: { maxConcurrent: 2 } } });
      const started: string[] = [];
      for (let i = 0; i < 5; i++) submit(target, started, `a${i}`, { group: 'a' });
      submit(target, started, 'b0', { group: 'b' });
      submit(target, started, 'none');
      expect(started).toEqual(['a0', 'a1', 'b0', 'none']);
      target.release('b0');
      expect(started).toEqual(['a0', 'a1', 'b0', 'none']); // a is at its cap: the slot stays free
      expect(target).toMatchObject({ running: 3, queued: 3 });
      target.release('a0');
      expect(started.at(-1)).toBe('a2');
    });

    test('defaultGroupLimits apply to every group not listed', () => {
      const target = admission({
        maxConcurrentExecutions: 10,
        groups: { big: { maxConcurrent: 3 } },
        defaultGroupLimits: { maxConcurrent: 1 },
      });
      const started: string[] = [];
      for (const group of ['big', 'x', 'y']) {
        for (let i = 0; i < 3; i++) submit(target, started, `${group}${i}`, { group });
      }
      expect(started).toEqual(['big0', 'big1', 'big2', 'x0', 'y0']);
    });

    test('between groups with equal heads, the one that started least recently goes first', () => {
      const target = admission({ maxConcurrentExecutions: 2 });
      const started: string[] = [];
      for (let i = 0; i < 6; i++) submit(target, started, `a${i}`, { group: 'a' });
      for (let i = 0; i < 3; i++) submit(target, started, `b${i}`, { group: 'b' });
      for (let i = 0; i < 3; i++) submit(target, started, `c${i}`, { group: 'c' });
      expect(started).toEqual(['a0', 'a1']);
      for (let i = 0; i < 8; i++) target.release(started[i]!);
      expect(started).toEqual(['a0', 'a1', 'b0', 'c0', 'a2', 'b1', 'c1', 'a3', 'b2', 'c2']);
    });

    test('a higher priority in any group with room goes before round robin', () => {
      const target = admission();
      const started: string[] = [];
      submit(target, started, 'a0', { group: 'a' });
      submit(target, started, 'b0', { group: 'b' });
      submit(target, started, 'a1', { group: 'a', priority: 2 });
      target.release('a0');
      expect(started).toEqual(['a0', 'a1']);
    });

    test('fairness: a tenant with 1,000 waiting does not starve a tenant with 10', () => {
      const target = admission({ maxConcurrentExecutions: 4 });
      const started: string[] = [];
      for (let i = 0; i < 1000; i++) submit(target, started, `a${i}`, { group: 'a' });
      for (let i = 0; i < 10; i++) submit(target, started, `b${i}`, { group: 'b' });
      let released = 0;
      while (started.filter((id) => id.startsWith('b')).length < 10) target.release(started[released++]!);
      expect(released).toBeLessThanOrEqual(20);
      expect(target.groups().a!.queued).toBeGreaterThan(950);
    });

    test('groups() reports the groups with work and forgets idle ones', () => {
      const target = admission({ maxConcurrentExecutions: 2 });
      const started: string[] = [];
      submit(target, started, 'a0', { group: 'a' });
      submit(target, started, 'none');
      submit(target, started, 'a1', { group: 'a' });
      submit(target, started, 'b0', { group: 'b' });
      expect(target.groups()).toEqual({ a: { queued: 1, running: 1 }, b: { queued: 1, running: 0 } });
      target.remove('b0');
      target.release('a0');
      expect(target.groups()).toEqual({ a: { queued: 0, running: 1 } });
      target.release('a1');
      expect(target.groups()).toEqual({});
    });

    test('occupy() counts against the group of the adopted execution', () => {
      const target = admission({ maxConcurrentExecutions: 5, groups: { a: { maxConcurrent: 1 } } });
      const started: string[] = [];
      target.occupy('adopted', { group: 'a' });
      expect(submit(target, started, 'a0', { group: 'a' })).toBe(1);
      expect(target.groups()).toEqual({ a: { queued: 1, running: 1 } });
      target.release('adopted');
      expect(started).toEqual(['a0']);
    });

    test("'reject' mode refuses when the group is at its cap, with the group's limit", () => {
      const target = admission({
        maxConcurrentExecutions: 5,
        onConcurrencyLimit: 'reject',
        groups: { a: { maxConcurrent: 1 } },
      });
      submit(target, [], 'a0', { group: 'a' });
      expect(() => target.assertAccepts('a')).toThrow(ConcurrencyLimitReachedError);
      expect(() => target.assertAccepts('a')).toThrow(expect.objectContaining({ limit: 1 }));
      expect(() => target.assertAccepts('b')).not.toThrow();
      expect(() => target.assertAccepts()).not.toThrow();
    });

    test('a released execution submitted again (another attempt) is ordered by its priority again', () => {
      const target = admission();
      const started: string[] = [];
      submit(target, started, 'a', { priority: 1, group: 'g' });
      submit(target, started, 'b');
      target.release('a');
      expect(submit(target, started, 'a', { priority: 1, group: 'g' })).toBe(1);
      submit(target, started, 'c');
      target.release('b');
      expect(started).toEqual(['a', 'b', 'a']);
    });

    describePacingAndExpiry(admission, submit);
  });
}
