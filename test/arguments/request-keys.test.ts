import { describe, expect, test } from 'vitest';
import { exec, InvalidRequestError } from '../../src/index.js';
import { createEngine } from '../helpers/engine.js';

// Unknown keys ran silently with the defaults: `{ timeout: 5 }` (execa's name) got the 5-minute default.
describe('strict requests', () => {
  test.each([
    ['timeout', { command: exec('true'), timeout: 5 }, 'timeoutMs'],
    ['killTimeout', { command: exec('true'), killTimeout: 5 }, 'killGraceMs'],
    ['cancelSignal', { command: exec('true'), cancelSignal: new AbortController().signal }, 'signal'],
    ['stdio', { command: exec('true'), stdio: 'inherit' }, undefined],
  ])(
    'an unknown request key (%s) is an InvalidRequestError naming it, and nothing is registered',
    async (key, request, hint) => {
      const engine = createEngine();
      const error = await engine.execute(request as never).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InvalidRequestError);
      expect((error as InvalidRequestError).field).toBe(key);
      expect((error as Error).message).toContain(`\`${key}\``);
      if (hint !== undefined) expect((error as Error).message).toContain(`did you mean \`${hint}\``);
      expect(engine.list()).toEqual([]);
    },
  );

  test.each([
    [{ type: 'exec', program: 'true', arg: ['x'] }, 'command.arg'],
    [{ type: 'shell', command: 'true', cwd: '/' }, 'command.cwd'],
    [{ type: 'script', path: 'x.sh', interpreterArgs: [] }, 'command.interpreterArgs'],
    [{ type: 'awsCli', service: 's3', operation: 'ls', endpoint: 'http://x' }, 'command.endpoint'],
  ])('an unknown command key is an InvalidRequestError naming it (%o)', async (command, field) => {
    const engine = createEngine();
    const error = await engine.execute({ command } as never).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect((error as InvalidRequestError).field).toBe(field);
  });

  test('every documented key is accepted', async () => {
    const engine = createEngine();
    const result = await engine.run({
      id: 'all-keys',
      command: exec('cat'),
      cwd: process.cwd(),
      env: { A: '1' },
      inheritEnv: true,
      input: 'in',
      stdin: 'ignore',
      timeoutMs: 10_000,
      killSignal: 'SIGTERM',
      killGraceMs: 100,
      signal: new AbortController().signal,
      metadata: { a: 1 },
    });
    expect(result).toMatchObject({ status: 'completed', stdout: 'in' });
  });

  test.each([
    ['killSignal', { killSignal: 'SIGNOPE' }],
    ['killSignal', { killSignal: 15 }],
    ['killGraceMs', { killGraceMs: -1 }],
    ['killGraceMs', { killGraceMs: 1.5 }],
    ['signal', { signal: { aborted: false } }],
    ['timeoutMs', { timeoutMs: -1 }],
  ])('an invalid %s is an InvalidRequestError naming it', async (field, extra) => {
    const engine = createEngine();
    const error = await engine.execute({ command: exec('true'), ...extra } as never).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect((error as InvalidRequestError).field).toBe(field);
  });
});
