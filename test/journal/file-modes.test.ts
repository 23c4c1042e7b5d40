import { mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { ExecutionEngine, exec, shell } from '../../src/index.js';
import { shutDownEngines, trackEngine } from './helpers/engines.js';
import { waitFor } from './helpers/processes.js';
import { makeTempDir, removeTempDirs } from './helpers/temp-dir.js';

afterEach(async () => {
  await shutDownEngines();
  await removeTempDirs();
});

const mode = (path: string) => statSync(path).mode & 0o777;

function engineOn(dir: string): ExecutionEngine {
  const engine = new ExecutionEngine({ journal: { dir }, killGraceMs: 200, enableAutoCleanup: false });
  trackEngine(engine);
  return engine;
}

/** Collects process warnings with `code` while `body` runs. */
async function warningsDuring(code: string, body: () => Promise<void>): Promise<string[]> {
  const seen: string[] = [];
  const listener = (warning: Error & { code?: string }) => {
    if (warning.code === code) seen.push(warning.message);
  };
  process.on('warning', listener);
  try {
    await body();
    await new Promise((resolve) => setImmediate(resolve)); // warnings are emitted on the next tick
  } finally {
    process.off('warning', listener);
  }
  return seen;
}

describe.skipIf(process.platform === 'win32')('journal file modes', () => {
  test('a directory the engine creates is 0700 and every file in it is 0600', async () => {
    const dir = join(await makeTempDir(), 'nested', 'journal');
    const engine = engineOn(dir);
    const result = await engine.run({
      command: shell('printf "%s\\n" "$AWS_SECRET_ACCESS_KEY"; cat; echo oops >&2'),
      env: { AWS_SECRET_ACCESS_KEY: 'not-for-others' },
      input: 'password=hunter2',
    });
    expect(result.stdout).toBe('not-for-others\npassword=hunter2');
    const id = result.id;
    // The terminal record lands after the result: wait for it.
    await waitFor(() => readFileSync(join(dir, `${id}.json`), 'utf8').includes('"completed"'));
    await waitFor(() => readdirSync(dir).every((name) => !name.endsWith('.tmp')));
    expect(mode(dir)).toBe(0o700);
    expect(mode(join(dir, '..'))).toBe(0o700);
    const names = readdirSync(dir).sort();
    expect(names).toEqual(
      [
        'journal.lock',
        `${id}.exit`,
        `${id}.input`,
        `${id}.json`,
        `${id}.stderr.log`,
        `${id}.stdout.log`,
      ].sort(),
    );
    for (const name of names) expect({ name, mode: mode(join(dir, name)) }).toEqual({ name, mode: 0o600 });
  });

  test('an existing directory readable by others is kept, with a warning', async () => {
    const dir = join(await makeTempDir(), 'shared');
    mkdirSync(dir);
    await chmod(dir, 0o755);
    const warnings = await warningsDuring('EXECUTION_ENGINE_JOURNAL_PERMISSIONS', async () => {
      await engineOn(dir).run({ command: exec('true') });
    });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('0755');
    expect(warnings[0]).toContain(dir);
    expect(mode(dir)).toBe(0o755);
  });

  test('a private existing directory gives no warning', async () => {
    const dir = await makeTempDir();
    await chmod(dir, 0o700);
    const warnings = await warningsDuring('EXECUTION_ENGINE_JOURNAL_PERMISSIONS', async () => {
      await engineOn(dir).run({ command: exec('true') });
    });
    expect(warnings).toEqual([]);
  });

  test('an overflow file in the temporary directory is readable by its owner only', async () => {
    const engine = new ExecutionEngine({
      maxOutputSizeBytes: 64,
      oversizedOutputStrategy: 'streamToFile',
      enableAutoCleanup: false,
    });
    trackEngine(engine);
    const id = await engine.execute({ command: shell('seq 1 200') });
    await engine.waitForCompletion(id);
    const file = engine.getExecution(id).stdoutOverflowFile;
    expect(file?.startsWith(tmpdir())).toBe(true);
    expect(mode(file!)).toBe(0o600);
    engine.removeExecution(id);
  });
});
