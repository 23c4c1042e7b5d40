import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { type ExecutionEvent, InvalidRequestError, script } from '../../src/index.js';
import { SAMPLE_SCRIPTS_DIR, TEST_SCRIPTS_DIR } from '../helpers/fake-aws.js';
import { createEngine, rejectionOf, shutDownTrackedEngines } from '../helpers/tracked-engine.js';

afterEach(shutDownTrackedEngines);

const sample = (name: string) => join(SAMPLE_SCRIPTS_DIR, name);

describe('the interpreter comes from the shebang', () => {
  test.each([
    [
      '#!/bin/sh',
      'shebang-sh',
      { file: '/bin/sh', args: [sample('shebang-sh'), 'a b', '$X'] },
      'sh-shebang\na b\n$X',
    ],
    [
      '#!/usr/bin/env node',
      'shebang-env-node',
      { file: '/usr/bin/env', args: ['node', sample('shebang-env-node'), 'a b', '$X'] },
      'node-shebang\na b\n$X',
    ],
    [
      '#!/bin/sh over the .py extension',
      'shebang-over-extension.py',
      { file: '/bin/sh', args: [sample('shebang-over-extension.py'), 'a b', '$X'] },
      'sh-over-py',
    ],
  ])('%s', async (_name, file, command, stdout) => {
    const engine = createEngine();
    const result = await engine.run({ command: script(sample(file), { args: ['a b', '$X'] }) });
    expect(result.command).toEqual(command);
    expect(result.stdout).toBe(stdout);
  });

  test('an option in the shebang is passed before the script path', async () => {
    const engine = createEngine();
    const id = await engine.execute({ command: script(sample('shebang-sh-option'), { args: ['x'] }) });
    const result = await engine.waitForCompletion(id);
    expect(result.command).toEqual({ file: '/bin/sh', args: ['-e', sample('shebang-sh-option'), 'x'] });
    // `-e` took effect: `false` ended the script before it printed "after".
    expect(result).toMatchObject({ status: 'completed', exitCode: 1, stdout: 'before' });
  });
});

describe('without shebang the interpreter comes from the extension', () => {
  test.each([
    ['.sh', 'plain.sh', '/bin/sh', 'plain-sh'],
    ['.js', 'plain.js', process.execPath, 'plain-js'],
    ['.mjs', 'plain.mjs', process.execPath, 'plain-mjs'],
    ['.py', 'plain.py', 'python3', 'plain-py'],
  ])('%s', async (_name, file, interpreter, kind) => {
    const engine = createEngine();
    const result = await engine.run({ command: script(sample(file), { args: ['it is', '*'] }) });
    expect(result.command).toEqual({ file: interpreter, args: [sample(file), 'it is', '*'] });
    expect(result.stdout).toBe(`${kind}\nit is\n*`);
  });

  test('an unknown extension without shebang is an InvalidRequestError naming the path', async () => {
    const engine = createEngine();
    const error = await rejectionOf(engine.execute({ command: script(sample('plain.xyz')) }));
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect(error).toMatchObject({ code: 'INVALID_REQUEST', field: 'command.path' });
    expect((error as Error).message).toContain(sample('plain.xyz'));
    expect((error as Error).message).toMatch(/interpreter/);
    expect(engine.list()).toEqual([]);
    expect(engine.stats().retained).toBe(0);
  });
});

describe('an explicit interpreter wins', () => {
  test.each([
    ['over a shebang', 'shebang-sh', 'bash'],
    ['over an extension', 'plain.js', process.execPath],
    ['over an unknown extension', 'plain.xyz', '/bin/sh'],
    ['over a shebang with an option', 'shebang-sh-option', '/bin/sh'],
  ])('%s', async (_name, file, interpreter) => {
    const engine = createEngine();
    const id = await engine.execute({ command: script(sample(file), { interpreter, args: ['arg'] }) });
    const result = await engine.waitForCompletion(id);
    expect(result.command).toEqual({ file: interpreter, args: [sample(file), 'arg'] });
    expect(result.status).toBe('completed');
  });

  test('bash given as the interpreter really runs the script (it sets BASH_VERSION)', async () => {
    const engine = createEngine();
    const result = await engine.run({
      command: script(sample('plain.xyz'), { interpreter: 'bash', args: ['$BASH_VERSION'] }),
    });
    expect(result.stdout).toBe('plain-xyz\n$BASH_VERSION');
  });
});

describe('the script path', () => {
  test.each([
    ['a missing file', sample('no-such-script.sh'), /no-such-script\.sh.*does not exist/],
    ['a directory', SAMPLE_SCRIPTS_DIR, /scripts.*not a file/],
  ])('%s is an InvalidRequestError naming the path', async (_name, path, message) => {
    const engine = createEngine();
    const error = await rejectionOf(engine.execute({ command: script(path) }));
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect(error).toMatchObject({ field: 'command.path', message: expect.stringMatching(message) });
    expect(engine.stats().retained).toBe(0);
  });

  test('a missing file is rejected even with an explicit interpreter', async () => {
    const engine = createEngine();
    const error = await rejectionOf(
      engine.execute({ command: script(sample('no-such-script.sh'), { interpreter: '/bin/sh' }) }),
    );
    expect(error).toMatchObject({ code: 'INVALID_REQUEST', field: 'command.path' });
  });

  test('a relative path is resolved against the request cwd', async () => {
    const engine = createEngine();
    const result = await engine.run({ command: script('scripts/plain.sh'), cwd: TEST_SCRIPTS_DIR });
    expect(result.command).toEqual({ file: '/bin/sh', args: [sample('plain.sh')] });
    expect(result.stdout).toBe('plain-sh');
  });

  test('a relative path is not resolved against the engine cwd when the request has a cwd', async () => {
    const engine = createEngine();
    const error = await rejectionOf(
      engine.execute({ command: script('test-scripts/scripts/plain.sh'), cwd: tmpdir() }),
    );
    expect(error).toMatchObject({ code: 'INVALID_REQUEST', field: 'command.path' });
    expect((error as Error).message).toContain('plain.sh');
  });

  test('a relative path without cwd is resolved against the engine cwd', async () => {
    const engine = createEngine();
    const relative = join('test-scripts', 'scripts', 'plain.sh');
    expect(join(process.cwd(), relative)).toBe(sample('plain.sh'));
    const result = await engine.run({ command: script(relative) });
    expect(result.command.args).toEqual([sample('plain.sh')]);
  });

  test('the script runs in the request cwd', async () => {
    const engine = createEngine();
    const started = new Promise<ExecutionEvent>((resolve) => engine.once('started', resolve));
    const result = await engine.run({
      command: script(sample('plain.sh'), { interpreter: '/bin/sh' }),
      cwd: tmpdir(),
    });
    expect(result.status).toBe('completed');
    expect(await started).toMatchObject({ command: result.command });
  });
});
