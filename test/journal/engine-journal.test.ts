import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import {
  type ExecutionConfig,
  ExecutionEngine,
  type ExecutionEvent,
  exec,
  JournalLockedError,
  type JournalRecord,
  shell,
} from '../../src/index.js';
import { readBootId } from '../../src/journal/proc-info.js';
import { fixture } from '../helpers/fixtures.js';
import { isAlive, killGroup, liveGroupMembers } from '../helpers/processes.js';

const dirs: string[] = [];
const engines: ExecutionEngine[] = [];
const strays: number[] = [];

afterEach(async () => {
  await Promise.all(engines.splice(0).map((engine) => engine.shutdown({ graceMs: 0 })));
  for (const pid of strays.splice(0)) killGroup(pid);
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function journalDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ee-journal-'));
  dirs.push(dir);
  return dir;
}

function engineOn(dir: string, config: Partial<ExecutionConfig> = {}): ExecutionEngine {
  const engine = new ExecutionEngine({ journal: { dir }, killGraceMs: 300, ...config });
  engines.push(engine);
  return engine;
}

/** A host that is done with the journal, leaving its processes running for the next one. */
async function handOver(engine: ExecutionEngine): Promise<void> {
  await engine.shutdown({ graceMs: 0, kill: false });
  engines.splice(engines.indexOf(engine), 1);
}

const readRecord = (dir: string, id: string) =>
  JSON.parse(readFileSync(join(dir, `${id}.json`), 'utf8')) as JournalRecord;

async function writeRecord(dir: string, record: Partial<JournalRecord> & { id: string }): Promise<void> {
  const full = {
    version: 1,
    status: 'running',
    command: { file: 'sleep', args: ['30'] },
    request: { command: { type: 'exec', program: 'sleep', args: ['30'] } },
    createdAt: new Date().toISOString(),
    bootId: await readBootId(),
    ...record,
  };
  writeFileSync(join(dir, `${record.id}.json`), JSON.stringify(full));
}

describe('journal', () => {
  test('a journaled execution streams its lines and leaves a readable record and log files', async () => {
    const dir = journalDir();
    const engine = engineOn(dir);
    const lines: string[] = [];
    engine.on('stdout', (e) => lines.push(e.line));
    const id = await engine.execute({ command: shell('echo one; echo two; echo oops >&2; exit 2') });
    expect(['queued', 'running']).toContain(readRecord(dir, id).status);
    const result = await engine.waitForCompletion(id);
    expect(result).toMatchObject({ status: 'completed', exitCode: 2, stdout: 'one\ntwo', stderr: 'oops' });
    expect(lines).toEqual(['one', 'two']);
    expect(result.stdoutLogFile).toBe(join(dir, `${id}.stdout.log`));
    expect(readFileSync(result.stdoutLogFile!, 'utf8')).toBe('one\ntwo\n');
    await engine.shutdown();
    expect(readRecord(dir, id)).toMatchObject({ id, status: 'completed', exitCode: 2, signal: null });
  });

  test('a missing program still fails with SPAWN_FAILED, and input reaches stdin', async () => {
    const engine = engineOn(journalDir());
    await expect(engine.run({ command: exec('/nonexistent/program') })).rejects.toMatchObject({
      result: { status: 'failed', error: { code: 'SPAWN_FAILED' } },
    });
    await expect(engine.run({ command: exec('cat'), input: 'piped in\n' })).resolves.toMatchObject({
      stdout: 'piped in',
    });
  });

  test('timeout and cancel terminate the whole group of a journaled execution', async () => {
    const engine = engineOn(journalDir());
    const timedOut = await engine
      .run({ command: exec(fixture('spawn-grandchild.sh'), ['30']), timeoutMs: 400 })
      .catch((e) => e.result);
    expect(timedOut.status).toBe('timeout');
    expect(liveGroupMembers(timedOut.pid)).toEqual([]);
    const id = await engine.execute({ command: exec('sleep', ['30']) });
    await expect(engine.cancel(id)).resolves.toBe(true);
    expect(liveGroupMembers(engine.getResult(id)!.pid!)).toEqual([]);
  });

  test('a second engine on the same journal refuses with JournalLockedError', async () => {
    const dir = journalDir();
    await engineOn(dir).recover();
    const second = engineOn(dir);
    await expect(second.recover()).rejects.toBeInstanceOf(JournalLockedError);
    await expect(second.execute({ command: exec('true') })).rejects.toMatchObject({ code: 'JOURNAL_LOCKED' });
  });

  test('shutdown without kill leaves processes for the next engine, which adopts them', async () => {
    const dir = journalDir();
    const first = engineOn(dir);
    const id = await first.execute({
      command: exec(process.execPath, [fixture('journal-ticker.js'), '12', '50', '3']),
    });
    await new Promise<void>((resolve) => first.on('stdout', (e) => e.line === 'tick 2' && resolve()));
    await handOver(first);
    const second = engineOn(dir);
    const events: ExecutionEvent[] = [];
    second.on('event', (e) => events.push(e));
    expect((await second.recover()).executions).toEqual([{ id, classification: 'adopted' }]);
    const result = await second.waitForCompletion(id);
    expect(result).toMatchObject({ status: 'completed', exitCode: 3 });
    expect(result.stdout.split('\n')).toEqual(Array.from({ length: 12 }, (_, i) => `tick ${i + 1}`));
    expect(events[0]).toMatchObject({ type: 'recovered', classification: 'adopted', seq: 1 });
    expect(events.at(-1)?.type).toBe('completed');
  });

  test('an adopted execution keeps its original deadline and can be cancelled', async () => {
    const dir = journalDir();
    const first = engineOn(dir);
    const late = await first.execute({ command: exec('sleep', ['30']), timeoutMs: 1500 });
    const other = await first.execute({ command: exec(fixture('spawn-grandchild.sh'), ['30']) });
    await handOver(first);
    const second = engineOn(dir);
    await second.recover();
    await expect(second.cancel(other)).resolves.toBe(true);
    expect(liveGroupMembers(second.getResult(other)!.pid!)).toEqual([]);
    const result = await second.waitForCompletion(late);
    expect(result.status).toBe('timeout');
    expect(result.completedAt.getTime() - result.startedAt!.getTime()).toBeLessThan(4000);
  });

  test('a record whose pid now belongs to another process is lost, and that process is left alone', async () => {
    const dir = journalDir();
    const stranger = spawn('sleep', ['30'], { detached: true, stdio: 'ignore' });
    strays.push(stranger.pid!);
    await writeRecord(dir, { id: 'reused', pid: stranger.pid!, pgid: stranger.pid!, procStartTime: '1' });
    const engine = engineOn(dir);
    expect((await engine.recover()).executions).toEqual([{ id: 'reused', classification: 'lost' }]);
    expect(engine.getResult('reused')).toMatchObject({ status: 'failed', error: { code: 'LOST' } });
    expect(isAlive(stranger.pid!)).toBe(true);
  });

  test('a record from another boot is failed as rebooted, a queued one is cancelled without requeueOnRecover', async () => {
    const dir = journalDir();
    await writeRecord(dir, { id: 'old-boot', pid: 999_999, bootId: 'another-boot' });
    await writeRecord(dir, { id: 'waiting', status: 'queued' });
    const engine = engineOn(dir, { requeueOnRecover: false });
    const report = await engine.recover();
    expect(report.executions).toEqual(
      expect.arrayContaining([
        { id: 'old-boot', classification: 'rebooted' },
        { id: 'waiting', classification: 'cancelled' },
      ]),
    );
    expect(engine.getResult('old-boot')).toMatchObject({ status: 'failed', error: { code: 'LOST' } });
    expect(engine.getResult('waiting')).toMatchObject({ status: 'cancelled' });
  });

  test('torn and garbage record files are reported and skipped, never fatal', async () => {
    const dir = journalDir();
    writeFileSync(join(dir, 'torn.json'), '{"version":1,"id":"torn","status":"runn');
    writeFileSync(join(dir, 'garbage.json'), Buffer.from([0xff, 0x00, 0x13, 0x37]));
    await writeRecord(dir, {
      id: 'fine',
      status: 'queued',
      request: { command: { type: 'exec', program: 'true' } },
    });
    const engine = engineOn(dir);
    const report = await engine.recover();
    expect(report.unreadable.map((u) => u.file).sort()).toEqual([
      join(dir, 'garbage.json'),
      join(dir, 'torn.json'),
    ]);
    for (const entry of report.unreadable) expect(entry.reason).not.toBe('');
    expect(report.executions).toEqual([{ id: 'fine', classification: 'requeued' }]);
    await expect(engine.waitForCompletion('fine')).resolves.toMatchObject({
      status: 'completed',
      exitCode: 0,
    });
    const types: string[] = [];
    for await (const event of engine.subscribe('fine')) types.push(`${event.seq}:${event.type}`);
    expect(types).toEqual(['1:recovered', '2:started', '3:completed']);
  });

  test('a recovered execution replays from its log files to a subscriber', async () => {
    const dir = journalDir();
    const first = engineOn(dir);
    const id = await first.execute({ command: shell('echo a; echo b; sleep 0.3; echo c') });
    await new Promise<void>((resolve) => first.on('stdout', (e) => e.line === 'b' && resolve()));
    await handOver(first);
    await new Promise((resolve) => setTimeout(resolve, 600)); // it finishes while no engine runs
    const second = engineOn(dir);
    await second.recover();
    const seen: string[] = [];
    for await (const event of second.subscribe(id)) seen.push('line' in event ? event.line : event.type);
    expect(seen).toEqual(['recovered', 'a', 'b', 'c', 'completed']);
  });

  test('removing an execution deletes its journal record and files', async () => {
    const dir = journalDir();
    const engine = engineOn(dir);
    const { id } = await engine.run({ command: shell('echo x') });
    expect(existsSync(join(dir, `${id}.json`))).toBe(true);
    engine.removeExecution(id);
    await engine.shutdown();
    for (const suffix of ['.json', '.stdout.log', '.stderr.log', '.exit']) {
      expect(existsSync(join(dir, `${id}${suffix}`))).toBe(false);
    }
  });

  test('terminal executions of a previous engine are retained with their results', async () => {
    const dir = journalDir();
    const first = engineOn(dir);
    const { id } = await first.run({ command: shell('echo kept') });
    await first.shutdown();
    const second = engineOn(dir);
    expect((await second.recover()).executions).toEqual([]);
    expect(second.getResult(id)).toMatchObject({ status: 'completed', exitCode: 0, stdout: 'kept' });
  });
});
