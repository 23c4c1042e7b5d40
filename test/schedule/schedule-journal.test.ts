import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { afterEach, describe, expect, test } from 'vitest';
import { ExecutionEngine, shell } from '../../src/index.js';
import { encodeRecord } from '../../src/journal/record-codec.js';
import { fixture } from '../helpers/fixtures.js';
import { readRecord } from '../journal/helpers/engines.js';
import { makeRecord } from '../journal/helpers/records.js';

const dirs: string[] = [];
const hosts: ChildProcess[] = [];
const engines: ExecutionEngine[] = [];
/** Exit files of runs that hosts started: each run's detached process writes its own as it ends. */
const exitFiles = new Set<string>();

afterEach(async () => {
  for (const host of hosts.splice(0))
    if (host.exitCode === null && host.signalCode === null) host.kill('SIGKILL');
  await Promise.all(engines.splice(0).map((engine) => engine.shutdown({ graceMs: 0 })));
  // The runs of a killed host go on by themselves (a line of output each): let them end first.
  await expect.poll(() => [...exitFiles].every((file) => existsSync(file)), { timeout: 10_000 }).toBe(true);
  exitFiles.clear();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true, maxRetries: 5 });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ee-schedule-'));
  dirs.push(dir);
  return dir;
}

/** A line a host printed when a run of its schedule was spawned. */
interface Started {
  id: string;
  occurrence: number;
}

/** What a host printed: when `schedule()` returned, the runs it started, the scheduled executions it recovered. */
interface HostOutput {
  scheduledAt: number;
  started: Started[];
  recovered: string[];
}

function parse(lines: string[]): HostOutput {
  const output: HostOutput = { scheduledAt: Number.NaN, started: [], recovered: [] };
  for (const line of lines) {
    const [word, first, second, third] = line.split(' ');
    if (word === 'scheduled') output.scheduledAt = Number(first);
    if (word === 'started' && second === 'tick')
      output.started.push({ id: first!, occurrence: Date.parse(third!) });
    if (word === 'recovered' && second === 'tick') output.recovered.push(first!);
  }
  return output;
}

/**
 * Starts `schedule-host.ts` (schedule `tick` on `journal`) and SIGKILLs it once `until` says so
 * (checked at each line); resolves with what it printed.
 */
async function runHost(journal: string, catchUp: boolean, until: (output: HostOutput) => boolean) {
  const marks = join(journal, 'runs.txt'); // each run appends a line
  const args = [fixture('schedule-host.ts'), journal, '*/2 * * * * *', String(catchUp), marks, 'keep'];
  const host = spawn(process.execPath, ['--import', 'tsx', ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  hosts.push(host);
  let text = '';
  const output = await new Promise<HostOutput>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`host never got there; it printed:\n${text}`)), 20_000);
    host.stdout!.on('data', (chunk: Buffer) => {
      text += String(chunk);
      const parsed = parse(text.split('\n').slice(0, -1));
      if (until(parsed)) {
        clearTimeout(timer);
        resolve(parsed);
      }
    });
  });
  host.kill('SIGKILL');
  await once(host, 'exit');
  for (const { id } of output.started) exitFiles.add(join(journal, `${id}.exit`));
  return output;
}

/** Lines the runs appended to `<journal>/runs.txt` so far. */
function runsWritten(journal: string): number {
  try {
    return readFileSync(join(journal, 'runs.txt'), 'utf8').split('\n').filter(Boolean).length;
  } catch {
    return 0;
  }
}

/** Waits until the wall clock passes `time` (epoch ms). */
async function waitPast(time: number): Promise<void> {
  while (Date.now() <= time) await delay(Math.max(10, time - Date.now() + 1));
}

describe('schedules with a journal', () => {
  test('the last fired occurrence is kept durably: a restarted host never runs it again, and without catchUp skips the missed ones', async () => {
    const journal = tempDir();
    const first = await runHost(journal, false, (o) => o.started.length >= 1);
    const fired = first.started[0]!;
    const stored = JSON.parse(readFileSync(join(journal, 'schedules', 'tick.json'), 'utf8'));
    expect(stored).toMatchObject({ version: 1, name: 'tick', cron: '*/2 * * * * *' });
    expect(Date.parse(stored.lastRun)).toBe(fired.occurrence);
    expect(statSync(join(journal, 'schedules', 'tick.json')).mode & 0o777).toBe(0o600);
    expect(statSync(join(journal, 'schedules')).mode & 0o777).toBe(0o700);
    expect((await readRecord(journal, fired.id)).request.schedule).toBe('tick');
    // Let the next occurrence pass while no host runs.
    await waitPast(fired.occurrence + 2000);
    const second = await runHost(journal, false, (o) => o.started.length >= 1);
    expect(second.recovered).toContain(fired.id); // recovery keeps the schedule name
    const own = second.started.filter((s) => s.id !== fired.id);
    expect(own.length).toBeGreaterThanOrEqual(1);
    // Its first run is a fresh occurrence, after schedule() returned: no catch-up, no repeat.
    expect(own[0]!.occurrence).toBeGreaterThan(fired.occurrence + 2000);
    expect(own[0]!.occurrence).toBeGreaterThan(second.scheduledAt);
  });

  test('catchUp runs exactly one missed occurrence after a restart, never the one already fired', async () => {
    const journal = tempDir();
    const first = await runHost(journal, true, (o) => o.started.length >= 1);
    const fired = first.started[0]!;
    await waitPast(fired.occurrence + 4000); // two occurrences missed
    const second = await runHost(journal, true, (o) => o.started.length >= 2);
    const own = second.started.filter((s) => s.id !== fired.id);
    const occurrences = own.map((s) => s.occurrence);
    expect(new Set([fired.occurrence, ...occurrences]).size).toBe(occurrences.length + 1); // none twice
    // The first run is an occurrence that was already due when schedule() was called (20 ms for
    // the read of the recorded one), the latest missed one: not the first missed, fired + 2 s.
    expect(occurrences[0]).toBeLessThanOrEqual(second.scheduledAt + 20);
    expect(occurrences[0]).toBeGreaterThanOrEqual(fired.occurrence + 4000);
    // Then the timetable goes on (on a loaded machine a late timer may skip an occurrence, never
    // run one twice or off the timetable): exactly one missed occurrence was run.
    expect(occurrences[1]).toBeGreaterThan(occurrences[0]!);
    expect((occurrences[1]! - occurrences[0]!) % 2000).toBe(0);
    // No run beyond those reported: every run's process wrote exactly one line.
    const total = 1 + own.length;
    await expect.poll(() => runsWritten(journal), { timeout: 5000 }).toBeGreaterThanOrEqual(total);
    await delay(300);
    expect(runsWritten(journal)).toBe(total);
  });

  test('a host restarted at once with catchUp does not run the occurrence it had fired', async () => {
    const journal = tempDir();
    const first = await runHost(journal, true, (o) => o.started.length >= 1);
    const fired = first.started[0]!;
    const second = await runHost(
      journal,
      true,
      (o) => o.started.filter((s) => s.id !== fired.id).length >= 1,
    );
    const [next] = second.started.filter((s) => s.id !== fired.id);
    expect(next!.occurrence).toBeGreaterThan(fired.occurrence);
  });

  test('an execution a schedule started keeps `schedule` through recovery, also when run again from the queue', async () => {
    const journal = tempDir();
    const request = {
      command: { type: 'exec' as const, program: 'echo', args: ['again'] },
      schedule: 'nightly',
    };
    writeFileSync(join(journal, 'queued-run.json'), encodeRecord(makeRecord({ id: 'queued-run', request })));
    const engine = new ExecutionEngine({ journal: { dir: journal }, killGraceMs: 300 });
    engines.push(engine);
    expect((await engine.recover()).executions).toEqual([{ id: 'queued-run', classification: 'requeued' }]);
    const result = await engine.waitForCompletion('queued-run');
    expect(result).toMatchObject({ status: 'completed', stdout: 'again', schedule: 'nightly' });
    expect((await readRecord(journal, 'queued-run')).request.schedule).toBe('nightly');
  });

  test('a damaged schedule file is reported and the schedule runs on', async () => {
    const journal = tempDir();
    mkdirSync(join(journal, 'schedules'));
    writeFileSync(join(journal, 'schedules', 'damaged.json'), '{ not json');
    const warned = new Promise<string>((resolve) => {
      const onWarning = (warning: Error & { code?: string }) => {
        if (warning.code !== 'EXECUTION_ENGINE_SCHEDULE') return;
        process.off('warning', onWarning);
        resolve(warning.message);
      };
      process.on('warning', onWarning);
    });
    const engine = new ExecutionEngine({ journal: { dir: journal }, killGraceMs: 300 });
    engines.push(engine);
    const started = new Promise((resolve) => engine.once('started', resolve));
    engine.schedule('damaged', '* * * * * *', { command: shell('true') });
    expect(await warned).toMatch(/`damaged`: its last run cannot be read back/);
    await started;
    const last = engine.listSchedules()[0]!.lastRun!.getTime();
    engine.unschedule('damaged');
    const stored = () => JSON.parse(readFileSync(join(journal, 'schedules', 'damaged.json'), 'utf8')).lastRun;
    await expect.poll(() => Date.parse(stored())).toBe(last); // written over with a good record
  });

  test('in one process, a schedule scheduled again under the same name resumes after its last run', async () => {
    const journal = tempDir();
    const engine = new ExecutionEngine({ journal: { dir: journal }, killGraceMs: 300 });
    engines.push(engine);
    const started = new Promise<string>((resolve) => engine.once('started', (e) => resolve(e.executionId)));
    engine.schedule('again', '* * * * * *', { command: shell('true') });
    const id = await started;
    const last = engine.listSchedules()[0]!.lastRun!;
    engine.unschedule('again');
    await engine.waitForCompletion(id);
    // The recorded occurrence is read back by name, whatever the new expression.
    const handle = engine.schedule('again', '0 0 1 1 *', { command: shell('true') });
    await expect.poll(() => engine.listSchedules()[0]!.lastRun).toEqual(last);
    expect(handle.nextRun()!.getTime()).toBeGreaterThan(last.getTime());
  });
});

describe('schedules and the Node process', () => {
  test.each([
    ['without a journal', false],
    ['with a journal', true],
  ])('a process that only schedules exits by itself (%s)', async (_, journaled) => {
    const journal = journaled ? tempDir() : '-';
    const host = spawn(
      process.execPath,
      ['--import', 'tsx', fixture('schedule-host.ts'), journal, '*/30 * * * * *', 'true', '/dev/null'],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    hosts.push(host);
    let text = '';
    host.stdout.on('data', (chunk: Buffer) => {
      text += String(chunk);
    });
    const timer = setTimeout(() => host.kill('SIGKILL'), 15_000);
    const [code, signal] = await once(host, 'exit');
    clearTimeout(timer);
    expect({ code, signal }).toEqual({ code: 0, signal: null });
    expect(text).toMatch(/^scheduled \d+$/m);
  });
});
