import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterEach, describe, expect, test } from 'vitest';
import { withElectronRunAsNode } from '../../src/commands/script.js';
import { fixture } from '../helpers/fixtures.js';

/** Runs electron-host.ts as Electron (`process.versions.electron` faked) or as plain Node. */
async function host(mode: 'electron' | 'node') {
  const env = { ...process.env };
  delete env.ELECTRON_RUN_AS_NODE;
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', fixture('electron-host.ts'), mode],
    { env },
  );
  return JSON.parse(stdout) as Record<string, string | null>;
}

describe('under Electron, a process spawned with process.execPath runs as Node', () => {
  test('the script kind (.js through process.execPath) and exec(process.execPath) get ELECTRON_RUN_AS_NODE=1', async () => {
    expect(await host('electron')).toEqual({
      script: '1',
      scriptWithoutInheritedEnv: '1',
      execPath: '1',
      otherProgram: 'unset',
      hostEnv: null,
    });
  });

  test('outside Electron nothing is added', async () => {
    expect(await host('node')).toEqual({
      script: null,
      scriptWithoutInheritedEnv: null,
      execPath: null,
      otherProgram: 'unset',
      hostEnv: null,
    });
  });
});

describe('withElectronRunAsNode', () => {
  const saved = Object.getOwnPropertyDescriptor(process.versions, 'electron');
  afterEach(() => {
    if (saved === undefined) delete (process.versions as Record<string, unknown>).electron;
    else Object.defineProperty(process.versions, 'electron', saved);
  });
  const electron = () =>
    Object.defineProperty(process.versions, 'electron', { value: '30.0.0', configurable: true });

  test('outside Electron the environment is left as it is', () => {
    const env = { A: 'b' };
    expect(withElectronRunAsNode(process.execPath, env)).toBe(env);
    expect(withElectronRunAsNode(process.execPath, undefined)).toBeUndefined();
  });

  test('under Electron, only for process.execPath, on a copy', () => {
    electron();
    const env = { A: 'b' };
    expect(withElectronRunAsNode(process.execPath, env)).toEqual({ A: 'b', ELECTRON_RUN_AS_NODE: '1' });
    expect(env).toEqual({ A: 'b' });
    expect(withElectronRunAsNode(process.execPath, undefined)).toEqual({
      ...process.env,
      ELECTRON_RUN_AS_NODE: '1',
    });
    expect(withElectronRunAsNode('/usr/bin/python3', env)).toBe(env);
  });
});
