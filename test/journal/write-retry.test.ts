import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { ExecutionEngine, type ExecutionResult, exec, JournalWriteError, shell } from '../../src/index.js';
import { shutDownEngines, trackEngine } from './helpers/engines.js';
import { waitFor } from './helpers/processes.js';
import { makeTempDir, removeTempDirs } from './helpers/temp-dir.js';

const immutable = new Set<string>();

/** `chattr +i` makes a directory refuse new names even to root: a journal that cannot be written. */
function setImmutable(dir: string, on: boolean): void {
  execFileSync('chattr', [on ? '+i' : '-i', dir], { stdio: 'ignore' });
  if (on) immutable.add(dir);
  else immutable.delete(dir);
}

const canMakeImmutable = (() => {
  if (process.platform !== 'linux') return false;
  const dir = mkdtempSync(join(tmpdir(), 'journal-chattr-'));
  try {
    setImmutable(dir, true);
    setImmutable(dir, false);
    return true;
  } catch {
    return false;
  } finally {
    rmdirSync(dir);
  }
})();

afterEach(async () => {
  for (const dir of [...immutable]) setImmutable(dir, false);
  await shutDownEngines();
  await removeTempDirs();
});

function engineOn(
  dir: string,
  config: ConstructorParameters<typeof ExecutionEngine>[0] = {},
): ExecutionEngine {
  const engine = new ExecutionEngine({
    journal: { dir },
    killGraceMs: 200,
    enableAutoCleanup: false,
    ...config,
  });
  trackEngine(engine);
  return engine;
}

const status = (dir: string, id: string) =>
  (JSON.parse(readFileSync(join(dir, `${id}.json`), 'utf8')) as { status: string }).status;

describe('journal writes that fail for a while', () => {
  test.skipIf(!canMakeImmutable)(
    'terminal records are written once the directory is writable again; a start names the journal',
    async () => {
      const dir = await makeTempDir();
      const gate = join(await makeTempDir('journal-gate-'), 'open');
      const engine = engineOn(dir, { maxConcurrentExecutions: 2 });
      const waitGate = `while [ ! -e '${gate}' ]; do sleep 0.02; done; echo done`;
      const ids = [
        await engine.execute({ command: shell(waitGate) }),
        await engine.execute({ command: shell(waitGate) }),
      ];
      const queued = await engine.execute({ command: exec('true') });
      await waitFor(() => ids.every((id) => engine.getExecution(id).pid !== undefined));
      await waitFor(() =>
        ids.every(
          (id) =>
            status(dir, id) === 'running' && readFileSync(join(dir, `${id}.json`), 'utf8').includes('"pid"'),
        ),
      );

      setImmutable(dir, true);
      writeFileSync(gate, '');
      const results = await Promise.all(ids.map((id) => engine.waitForCompletion(id)));
      for (const result of results)
        expect(result).toMatchObject({ status: 'completed', exitCode: 0, stdout: 'done' });
      const failed: ExecutionResult = await engine.waitForCompletion(queued);
      expect(failed.status).toBe('failed');
      expect(failed.error?.code).toBe('JOURNAL_WRITE_FAILED');
      expect(failed.error?.message).toContain('journal');
      expect(failed.error?.message).not.toContain('not executable');
      // The records still say running while the directory refuses writes; memory stays true.
      expect(ids.map((id) => status(dir, id))).toEqual(['running', 'running']);
      expect(engine.getResult(ids[0]!)?.status).toBe('completed');

      setImmutable(dir, false);
      await waitFor(() => ids.every((id) => status(dir, id) === 'completed'), 15_000, 'the retried records');
      await waitFor(() => status(dir, queued) === 'failed', 15_000, 'the failed start to be recorded');
      await engine.shutdown();

      const next = engineOn(dir);
      await next.recover();
      for (const id of ids) expect(next.getResult(id)).toMatchObject({ status: 'completed', exitCode: 0 });
      expect(next.getResult(queued)?.error?.code).toBe('JOURNAL_WRITE_FAILED');
    },
  );

  test('a journal directory that cannot be created is a typed error', async () => {
    const file = join(await makeTempDir(), 'a-file');
    writeFileSync(file, '');
    const engine = engineOn(join(file, 'journal'));
    const error = await engine.recover().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JournalWriteError);
    expect(error).toMatchObject({ code: 'JOURNAL_WRITE_FAILED' });
    expect((error as Error).message).toContain('journal directory');
    await expect(engine.execute({ command: exec('true') })).rejects.toBeInstanceOf(JournalWriteError);
  });
});
