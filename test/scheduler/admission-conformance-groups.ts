import { afterEach, describe, expect, test } from 'vitest';
import { ConcurrencyLimitReachedError } from '../../src/errors.js';
import type {
  Admission,
  AdmissionFactory,
  AdmissionLimits,
  AdmissionOptions,
} from '../../src/scheduler/admission.js';

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

type Make = (limits?: Partial<AdmissionLimits>) => Admission;
type Submit = (target: Admission, started: string[], id: string, options?: AdmissionOptions) => number;

function describePacingAndExpiry(admission: Make, submit: Submit): void {
  test("a group's minStartIntervalMs paces its own starts and never holds up other groups", async () => {
    const target = admission({ maxConcurrentExecutions: 10, groups: { slow: { minStartIntervalMs: 60 } } });
    const at = new Map<string, number>();
    const done = new Promise<void>((resolve) => {
      const start = (id: string) => () => {
        at.set(id, performance.now());
        if (at.size === 5) resolve();
      };
      for (const id of ['s0', 's1', 's2']) target.submit(id, start(id), { group: 'slow' });
      for (const id of ['f0', 'f1']) target.submit(id, start(id), { group: 'fast' });
    });
    expect([...at.keys()]).toEqual(['s0', 'f0', 'f1']);
    await done;
    expect(at.get('s1')! - at.get('s0')!).toBeGreaterThanOrEqual(59);
    expect(at.get('s2')! - at.get('s1')!).toBeGreaterThanOrEqual(59);
  });

  test("a group's pacing holds after it went idle", async () => {
    const target = admission({ maxConcurrentExecutions: 10, defaultGroupLimits: { minStartIntervalMs: 80 } });
    const started: string[] = [];
    submit(target, started, 'a0', { group: 'a' });
    target.release('a0');
    expect(submit(target, started, 'a1', { group: 'a' })).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(started).toEqual(['a0', 'a1']);
  });

  test('an execution still waiting at its deadline is taken out, never starts, and onExpire runs once', async () => {
    const target = admission();
    const started: string[] = [];
    const expired: string[] = [];
    submit(target, started, 'running');
    const expiresAt = Date.now() + 50;
    submit(target, started, 'short', { expiresAt, onExpire: () => expired.push('short') });
    submit(target, started, 'long', { expiresAt: Date.now() + 60_000, onExpire: () => expired.push('long') });
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(expired).toEqual(['short']);
    expect(target).toMatchObject({ running: 1, queued: 1 });
    target.release('running');
    expect(started).toEqual(['running', 'long']);
  });

  test('an execution that starts at once never expires; removing one cancels its deadline', async () => {
    const target = admission({ maxConcurrentExecutions: 2 });
    const started: string[] = [];
    const expired: string[] = [];
    submit(target, started, 'a', { expiresAt: Date.now(), onExpire: () => expired.push('a') });
    submit(target, started, 'b');
    submit(target, started, 'c', { expiresAt: Date.now() + 30, onExpire: () => expired.push('c') });
    target.remove('c');
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(started).toEqual(['a', 'b']);
    expect(expired).toEqual([]);
  });

  test('10,000 waiting executions in 1,000 groups: submit, remove and release stay fast', () => {
    const target = admission({ maxConcurrentExecutions: 1, defaultGroupLimits: { maxConcurrent: 1 } });
    target.submit('running', () => {});
    const t0 = performance.now();
    for (let i = 0; i < 10_000; i++) {
      target.submit(`job-${i}`, () => {}, {
        group: `g${i % 1000}`,
        priority: i % 7,
        expiresAt: Date.now() + 60_000 + i,
      });
    }
    for (let i = 0; i < 10_000; i += 2) target.remove(`job-${i}`);
    target.release('running');
    const elapsed = performance.now() - t0;
    expect(target).toMatchObject({ running: 1, queued: 4999 });
    // O(log n) each: tens of ms. A scan per operation (O(n)) takes seconds.
    expect(elapsed).toBeLessThan(1000);
  });
}
