import { expect, test } from 'vitest';
import type { Admission, AdmissionLimits, AdmissionOptions } from '../../src/scheduler/admission.js';

export type Make = (limits?: Partial<AdmissionLimits>) => Admission;
export type Submit = (target: Admission, started: string[], id: string, options?: AdmissionOptions) => number;

/**
 * The `Admission` conformance tests of per-group pacing, queue deadlines and scale (run by
 * `describeAdmissionGroupsConformance` with its factory and submit helper).
 */
export function describePacingAndExpiry(admission: Make, submit: Submit): void {
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
    // O(log n) each: tens of ms (a few hundred on a very busy machine). A scan per operation
    // (O(n)) takes many seconds.
    expect(elapsed).toBeLessThan(1500);
  });
}
