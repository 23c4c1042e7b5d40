import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { loadPromClient, PROM_CLIENT_MISSING } from '../../src/metrics/load-prom-client.js';

let dir: string | undefined;
afterEach(async () => {
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

test('without prom-client installed, loading fails with a message saying to install it', async () => {
  // A directory with no node_modules above it that has prom-client: the real resolution fails.
  dir = await mkdtemp(join(tmpdir(), 'no-prom-client-'));
  const requireThere = createRequire(join(dir, 'app.js'));
  expect(() => requireThere.resolve('prom-client')).toThrow();
  expect(() => loadPromClient(requireThere)).toThrow(PROM_CLIENT_MISSING);
  expect(PROM_CLIENT_MISSING).toMatch(/npm install prom-client/);
  try {
    loadPromClient(requireThere);
  } catch (error) {
    expect((error as NodeJS.ErrnoException).code).toBe('MODULE_NOT_FOUND');
    expect((error as Error).cause).toBeInstanceOf(Error);
  }
});

test('with prom-client installed, it is the application-resolved module', () => {
  const prom = loadPromClient();
  expect(prom).toBe(createRequire(import.meta.url)('prom-client'));
});

test('a failure inside prom-client itself is not mistaken for a missing install', () => {
  const broken = () => {
    throw Object.assign(new Error("Cannot find module 'some-dependency'"), { code: 'MODULE_NOT_FOUND' });
  };
  expect(() => loadPromClient(broken)).toThrow("Cannot find module 'some-dependency'");
});

test('the main entry never loads prom-client; the metrics subpath does', async () => {
  const { execFile } = await import('node:child_process');
  const { promisify } = await import('node:util');
  const loaded = async (entry: string) => {
    const url = new URL(`../../src/${entry}`, import.meta.url).href;
    const script = `await import(${JSON.stringify(url)});
      const { createRequire } = await import('node:module');
      const cache = createRequire(import.meta.url).cache;
      console.log(Object.keys(cache).some((path) => path.includes('/prom-client/')));`;
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', script],
      { cwd: new URL('../..', import.meta.url).pathname },
    );
    return stdout.trim();
  };
  expect(await loaded('index.ts')).toBe('false');
  expect(await loaded('metrics/index.ts')).toBe('true');
});
