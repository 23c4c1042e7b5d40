import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { deleteOnExit, removeTemporaryOverflowFiles } from '../../src/io/overflow-files.js';
import { fixture } from '../helpers/fixtures.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ee-overflow-'));
  dirs.push(dir);
  const file = join(dir, 'x.stdout.overflow');
  writeFileSync(file, 'overflow');
  return file;
}

/** Starts overflow-exit-host.ts in `mode`; resolves with the file it printed and its exit. */
async function startHost(mode: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', fixture('overflow-exit-host.ts'), mode], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = once(child, 'exit');
  let text = '';
  for await (const chunk of child.stdout) {
    text += String(chunk);
    if (text.includes('\n')) break;
  }
  const printed = JSON.parse(text.split('\n')[0]!) as { file: string; exists: boolean };
  return { child, exited, ...printed };
}

describe('temporary overflow files are deleted when the Node process exits', () => {
  test.each([
    ['exits by itself (an idle engine does not keep it alive)', 'end'],
    ['calls process.exit()', 'exit'],
  ])('when the host %s', async (_name, mode) => {
    const host = await startHost(mode);
    expect(host.file.startsWith(tmpdir())).toBe(true);
    expect(host.exists).toBe(true);
    const [code] = await host.exited;
    expect(code).toBe(0);
    expect(existsSync(host.file)).toBe(false);
  });

  test('when the host is ended by SIGTERM, which is then re-raised', async () => {
    const host = await startHost('signal');
    expect(host.exists).toBe(true);
    host.child.kill('SIGTERM');
    const [code, signal] = await host.exited;
    expect({ code, signal }).toEqual({ code: null, signal: 'SIGTERM' });
    expect(existsSync(host.file)).toBe(false);
  });
});

describe('the exit hook for temporary files', () => {
  test('is installed only while a file is pending; a file removed with its execution is forgotten', async () => {
    const listeners = process.listenerCount('SIGTERM');
    const emit = process.emit;
    const [first, second] = [tempFile(), tempFile()];

    deleteOnExit(first);
    deleteOnExit(second);
    expect(process.listenerCount('SIGTERM')).toBe(listeners + 1);
    expect(process.emit).not.toBe(emit);

    await removeTemporaryOverflowFiles([first, undefined], undefined);
    expect(existsSync(first)).toBe(false);
    expect(process.listenerCount('SIGTERM')).toBe(listeners + 1);

    await removeTemporaryOverflowFiles([second], undefined);
    expect(existsSync(second)).toBe(false);
    // Nothing pending: the process's signal handling is as it was.
    expect(process.listenerCount('SIGTERM')).toBe(listeners);
    expect(process.emit).toBe(emit);
  });

  test('files in logDir are the user’s: neither deleted nor tracked', async () => {
    const listeners = process.listenerCount('SIGTERM');
    const file = tempFile();
    await removeTemporaryOverflowFiles([file], '/some/log/dir');
    expect(existsSync(file)).toBe(true);
    expect(process.listenerCount('SIGTERM')).toBe(listeners);
  });
});
