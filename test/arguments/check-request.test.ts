import { describe, expect, test } from 'vitest';
import { checkRequestNow } from '../../src/arguments/check-request.js';
import { normalizeRequest } from '../../src/arguments/normalize-request.js';
import { COMMAND_KEYS, REQUEST_KEYS } from '../../src/arguments/request-keys.js';
import { resolveConfig } from '../../src/config.js';
import { InvalidRequestError } from '../../src/index.js';

const config = resolveConfig({});
const valid = { command: { type: 'exec', program: 'true' } };
/** A valid command of each type. */
const COMMANDS: Record<string, Record<string, unknown>> = {
  shell: { type: 'shell', command: 'true' },
  exec: { type: 'exec', program: 'true' },
  script: { type: 'script', path: 'x.sh' },
  awsCli: { type: 'awsCli', service: 's3', operation: 'ls' },
};

/** The field `normalizeRequest` names for `request`, or undefined when it accepts it. */
async function normalizeField(request: unknown): Promise<string | undefined> {
  try {
    await normalizeRequest(request, config);
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidRequestError);
    return (error as InvalidRequestError).field;
  }
}

function checkField(request: unknown): string | undefined {
  try {
    checkRequestNow(request, config);
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidRequestError);
    return (error as InvalidRequestError).field;
  }
}

describe('checkRequestNow (schedule targets, checked without waiting)', () => {
  // A request key added without a check here too would let a schedule accept what execute() refuses.
  test.each([...REQUEST_KEYS])('refuses an invalid `%s` as normalizeRequest does', async (key) => {
    const request = { ...valid, [key]: Symbol('invalid') };
    const field = await normalizeField(request);
    expect(field).toBeDefined();
    expect(checkField(request)).toBe(field);
  });

  test.each(
    Object.entries(COMMAND_KEYS).flatMap(([type, keys]) =>
      [...keys].filter((key) => key !== 'type').map((key) => [type, key]),
    ),
  )('refuses an invalid `%s` command field `%s` as normalizeRequest does', async (type, key) => {
    const request = { command: { ...COMMANDS[type], [key]: 42 } };
    const field = await normalizeField(request);
    expect(field).toBe(`command.${key}`);
    expect(checkField(request)).toBe(field);
  });

  test('returns a copy: later changes to the caller objects do not show', () => {
    const env = { A: '1' };
    const args = ['x'];
    const metadata = { nested: { n: 1 } };
    const request = {
      command: { type: 'exec' as const, program: 'echo', args },
      env,
      metadata,
      input: new Uint8Array([1]),
    };
    const copy = checkRequestNow(request, config);
    env.A = '2';
    args.push('y');
    metadata.nested.n = 2;
    request.input[0] = 9;
    expect(copy).toMatchObject({ command: { args: ['x'] }, env: { A: '1' }, metadata: { nested: { n: 1 } } });
    expect([...(copy.input as Uint8Array)]).toEqual([1]);
  });

  test('leaves the file system alone: a missing cwd or script is for the run to find', () => {
    expect(() =>
      checkRequestNow({ command: { type: 'script', path: '/nope/x.sh' }, cwd: '/nope' }, config),
    ).not.toThrow();
  });
});
