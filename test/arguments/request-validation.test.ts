import { afterEach, describe, expect, test } from 'vitest';
import {
  type ExecutionEngine,
  type ExecutionEvent,
  type ExecutionRequest,
  exec,
  InvalidRequestError,
  isExecutionError,
  script,
  shell,
} from '../../src/index.js';
import { SAMPLE_SCRIPTS_DIR } from '../helpers/fake-aws.js';
import { createEngine, rejectionOf, shutDownTrackedEngines } from '../helpers/tracked-engine.js';

afterEach(shutDownTrackedEngines);

/** Lets a test pass a request the types would not allow. */
const invalid = (request: unknown) => request as ExecutionRequest;

const ok = exec('true');

/** An engine with a small `maxTimeoutMs`, plus every event it emits. */
function engineWithEvents(): { engine: ExecutionEngine; events: ExecutionEvent[] } {
  const engine = createEngine({ defaultTimeoutMs: 5000, maxTimeoutMs: 10_000 });
  const events: ExecutionEvent[] = [];
  engine.on('event', (event) => events.push(event));
  return { engine, events };
}

/** Submits the request, expects `InvalidRequestError` for `field`, and checks nothing was registered. */
async function expectRejected(request: unknown, field: string, message: RegExp): Promise<void> {
  const { engine, events } = engineWithEvents();
  const error = await rejectionOf(engine.execute(invalid(request)));
  expect(error).toBeInstanceOf(InvalidRequestError);
  expect(isExecutionError(error)).toBe(true);
  expect(error).toMatchObject({ code: 'INVALID_REQUEST', name: 'InvalidRequestError', field });
  expect((error as Error).message).toMatch(message);
  expect(engine.list()).toEqual([]);
  expect(engine.stats()).toEqual({
    queued: 0,
    running: 0,
    retained: 0,
    completed: 0,
    failed: 0,
    timeout: 0,
    cancelled: 0,
    groups: {},
    outputBytes: { stdout: 0, stderr: 0 },
  });
  expect(events).toEqual([]);
}

describe('timeoutMs', () => {
  test.each([
    ['zero (no timeout) while maxTimeoutMs is finite', 0, /`timeoutMs`.*maxTimeoutMs: Infinity/],
    ['negative', -1, /`timeoutMs`.*`-1` \(number\)/],
    ['not an integer', 1.5, /`timeoutMs`.*`1\.5` \(number\)/],
    ['NaN', Number.NaN, /`timeoutMs`.*`NaN` \(number\)/],
    ['Infinity', Number.POSITIVE_INFINITY, /`timeoutMs`.*`Infinity` \(number\)/],
    ['above maxTimeoutMs', 10_001, /`timeoutMs`.*maxTimeoutMs.*10000.*`10001` \(number\)/],
    ['a string', '1000', /`timeoutMs`.*`"1000"` \(string\)/],
    ['null', null, /`timeoutMs`.*`null` \(null\)/],
  ])('a timeoutMs that is %s is rejected', async (_name, timeoutMs, message) => {
    await expectRejected({ command: ok, timeoutMs }, 'timeoutMs', message);
  });

  test('the smallest timeoutMs, 1, is accepted', async () => {
    const { engine } = engineWithEvents();
    const result = await engine.waitForCompletion(
      await engine.execute({ command: exec('sleep', ['5']), timeoutMs: 1 }),
    );
    expect(result.status).toBe('timeout');
  });

  test('a timeoutMs of exactly maxTimeoutMs is accepted', async () => {
    const { engine } = engineWithEvents();
    await expect(engine.run({ command: ok, timeoutMs: 10_000 })).resolves.toMatchObject({
      status: 'completed',
    });
  });
});

describe('the request and its command', () => {
  test.each([
    ['a missing request', undefined, 'request', /request.*`undefined` \(undefined\)/],
    ['a null request', null, 'request', /request.*`null` \(null\)/],
    ['a string request', 'ls -l', 'request', /request.*`"ls -l"` \(string\)/],
    ['an array request', [ok], 'request', /request/],
    ['a missing command', {}, 'command', /`command`.*`undefined` \(undefined\)/],
    ['a string command', { command: 'ls' }, 'command', /`command`.*`"ls"` \(string\)/],
    ['a null command', { command: null }, 'command', /`command`.*`null` \(null\)/],
    [
      'an unknown command type',
      { command: { type: 'docker' } },
      'command.type',
      /`command.type`.*`"docker"`/,
    ],
    ['a command without type', { command: { program: 'ls' } }, 'command.type', /`command.type`.*`undefined`/],
  ])('%s is rejected', async (_name, request, field, message) => {
    await expectRejected(request, field, message);
  });
});

describe('exec program and args', () => {
  test.each([
    ['an empty program', { type: 'exec', program: '' }, 'command.program', /`command.program`.*non-empty/],
    ['a missing program', { type: 'exec' }, 'command.program', /`command.program`.*`undefined`/],
    [
      'a number as program',
      { type: 'exec', program: 42 },
      'command.program',
      /`command.program`.*`42` \(number\)/,
    ],
    [
      'a NUL byte in the program',
      { type: 'exec', program: 'ec\0ho' },
      'command.program',
      /`command.program`.*NUL.*`"ec\\u0000ho"`/,
    ],
    [
      'args that are a string',
      { type: 'exec', program: 'echo', args: 'a b' },
      'command.args',
      /`command.args`.*array.*`"a b"` \(string\)/,
    ],
    [
      'args containing a number',
      { type: 'exec', program: 'echo', args: ['ok', 42] },
      'command.args[1]',
      /`command.args\[1\]`.*`42` \(number\)/,
    ],
    [
      'args containing undefined',
      { type: 'exec', program: 'echo', args: [undefined] },
      'command.args[0]',
      /`command.args\[0\]`.*`undefined`/,
    ],
    [
      'a NUL byte in an arg',
      { type: 'exec', program: 'echo', args: ['ok', 'a\0b'] },
      'command.args[1]',
      /`command.args\[1\]`.*NUL.*`"a\\u0000b"`/,
    ],
  ])('%s is rejected', async (_name, command, field, message) => {
    await expectRejected({ command }, field, message);
  });
});

describe('shell command', () => {
  test.each([
    [
      'an empty shell command',
      { type: 'shell', command: '' },
      'command.command',
      /`command.command`.*non-empty/,
    ],
    [
      'a shell command that is not a string',
      { type: 'shell', command: ['ls'] },
      'command.command',
      /`command.command`.*`ls` \(object\)/,
    ],
    [
      'a NUL byte in the shell command',
      { type: 'shell', command: 'echo a\0b' },
      'command.command',
      /`command.command`.*NUL.*`"echo a\\u0000b"`/,
    ],
    [
      'an empty shell program',
      { type: 'shell', command: 'ls', shell: '' },
      'command.shell',
      /`command.shell`/,
    ],
  ])('%s is rejected', async (_name, command, field, message) => {
    await expectRejected({ command }, field, message);
  });
});

describe('script path', () => {
  test.each([
    ['an empty path', { type: 'script', path: '' }, 'command.path', /`command.path`.*non-empty/],
    [
      'a NUL byte in the path',
      { type: 'script', path: 'a\0.sh' },
      'command.path',
      /`command.path`.*NUL.*`"a\\u0000.sh"`/,
    ],
    [
      'args that are not an array',
      { type: 'script', path: `${SAMPLE_SCRIPTS_DIR}/plain.sh`, args: 'x' },
      'command.args',
      /`command.args`/,
    ],
    [
      'an empty interpreter',
      { type: 'script', path: `${SAMPLE_SCRIPTS_DIR}/plain.sh`, interpreter: '' },
      'command.interpreter',
      /`command.interpreter`/,
    ],
  ])('%s is rejected', async (_name, command, field, message) => {
    await expectRejected({ command }, field, message);
  });
});

describe('awsCli', () => {
  test.each([
    [
      'an output format that does not exist',
      { type: 'awsCli', service: 's3', operation: 'ls', output: 'xml' },
      'command.output',
      /`command.output`.*'json'.*`"xml"` \(string\)/,
    ],
    [
      'an empty service',
      { type: 'awsCli', service: '', operation: 'ls' },
      'command.service',
      /`command.service`/,
    ],
    [
      'an empty operation',
      { type: 'awsCli', service: 's3', operation: '' },
      'command.operation',
      /`command.operation`/,
    ],
    [
      'an empty region',
      { type: 'awsCli', service: 's3', operation: 'ls', region: '' },
      'command.region',
      /`command.region`/,
    ],
    [
      'a NUL byte in an arg',
      { type: 'awsCli', service: 's3', operation: 'ls', args: ['s3://a\0b'] },
      'command.args[0]',
      /`command.args\[0\]`.*NUL/,
    ],
  ])('%s is rejected', async (_name, command, field, message) => {
    await expectRejected({ command }, field, message);
  });
});

describe('cwd', () => {
  test.each([
    [
      'a cwd that does not exist',
      '/no/such/dir/for-execution-engine',
      /`cwd`.*existing directory.*no\/such\/dir/,
    ],
    ['a cwd that is a file', `${SAMPLE_SCRIPTS_DIR}/plain.sh`, /`cwd`.*existing directory.*plain\.sh/],
    ['an empty cwd', '', /`cwd`.*non-empty/],
    ['a NUL byte in the cwd', '/tmp\0', /`cwd`.*NUL.*`"\/tmp\\u0000"`/],
    ['a cwd that is not a string', 42, /`cwd`.*`42` \(number\)/],
  ])('%s is rejected', async (_name, cwd, message) => {
    await expectRejected({ command: ok, cwd }, 'cwd', message);
  });
});

describe('env and inheritEnv', () => {
  test.each([
    ['env that is a string', { env: 'A=1' }, 'env', /`env`.*`"A=1"` \(string\)/],
    ['env that is an array', { env: ['A=1'] }, 'env', /`env`.*`A=1` \(object\)/],
    ['env that is null', { env: null }, 'env', /`env`.*`null` \(null\)/],
    ['an env value that is a number', { env: { PORT: 8080 } }, 'env.PORT', /`env.PORT`.*`8080` \(number\)/],
    ['an env value that is a boolean', { env: { CI: true } }, 'env.CI', /`env.CI`.*`true` \(boolean\)/],
    [
      'a NUL byte in an env value',
      { env: { SECRET: 'a\0b' } },
      'env.SECRET',
      /`env.SECRET`.*NUL.*`"a\\u0000b"`/,
    ],
    ['an env name with =', { env: { 'A=B': 'x' } }, 'env.A=B', /`"A=B"`/],
    ['an empty env name', { env: { '': 'x' } }, 'env.', /`""`/],
    [
      'inheritEnv that is a string',
      { inheritEnv: 'false' },
      'inheritEnv',
      /`inheritEnv`.*`"false"` \(string\)/,
    ],
    ['inheritEnv that is a number', { inheritEnv: 0 }, 'inheritEnv', /`inheritEnv`.*`0` \(number\)/],
  ])('%s is rejected', async (_name, fields, field, message) => {
    await expectRejected({ command: ok, ...fields }, field, message);
  });
});

describe('input and metadata', () => {
  test.each([
    ['input that is a number', { input: 42 }, 'input', /`input`.*`42` \(number\)/],
    ['input that is an array', { input: [1, 2] }, 'input', /`input`.*`1,2` \(object\)/],
    ['input that is an ArrayBuffer', { input: new ArrayBuffer(2) }, 'input', /`input`.*ArrayBuffer/],
    ['input that is null', { input: null }, 'input', /`input`.*`null` \(null\)/],
    ['metadata that is a string', { metadata: 'build' }, 'metadata', /`metadata`.*`"build"` \(string\)/],
    ['metadata that is an array', { metadata: ['build'] }, 'metadata', /`metadata`.*`build` \(object\)/],
    ['metadata that is a Date', { metadata: new Date(0) }, 'metadata', /`metadata`.*plain object/],
    ['metadata that is null', { metadata: null }, 'metadata', /`metadata`.*`null` \(null\)/],
  ])('%s is rejected', async (_name, fields, field, message) => {
    await expectRejected({ command: ok, ...fields }, field, message);
  });
});

describe('id', () => {
  test.each([
    ['empty', '', /`id`.*`""` \(string\)/],
    ['129 characters long', 'a'.repeat(129), /`id`.*`"aaaa.*\(string\)/],
    ['containing a slash', 'a/b', /`id`.*`"a\/b"` \(string\)/],
    ['..', '..', /`id`.*`"\.\."` \(string\)/],
    ['.', '.', /`id`.*`"\."` \(string\)/],
    ['containing a space', 'my job', /`id`.*`"my job"` \(string\)/],
    ['containing a non-ASCII letter', 'jöb', /`id`.*`"jöb"` \(string\)/],
    ['containing a NUL byte', 'a\0b', /`id`/],
    ['a number', 42, /`id`.*`42` \(number\)/],
  ])('an id that is %s is rejected', async (_name, id, message) => {
    await expectRejected({ id, command: ok }, 'id', message);
  });

  test.each([
    ['one character', 'a'],
    ['128 characters', 'a'.repeat(128)],
    ['letters, digits, dot, underscore and dash', 'Build-42_v1.0'],
    ['three dots', '...'],
  ])('an id of %s is accepted and used', async (_name, id) => {
    const { engine } = engineWithEvents();
    const result = await engine.run({ id, command: ok });
    expect(result.id).toBe(id);
    expect(engine.getStatus(id)).toBe('completed');
  });

  test('a duplicate id of a running execution is rejected and the first one is untouched', async () => {
    const { engine } = engineWithEvents();
    const id = await engine.execute({ id: 'job-1', command: exec('sleep', ['5']) });
    const error = await rejectionOf(engine.execute({ id: 'job-1', command: ok }));
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect(error).toMatchObject({ field: 'id', message: expect.stringMatching(/`job-1`/) });
    expect(engine.list().map((snapshot) => snapshot.id)).toEqual([id]);
    expect(engine.stats().retained).toBe(1);
    expect(engine.getExecution(id).command).toEqual({ file: 'sleep', args: ['5'] });
  });

  test('a duplicate id of a retained finished execution is rejected until it is removed', async () => {
    const { engine } = engineWithEvents();
    await engine.run({ id: 'job-1', command: ok });
    const error = await rejectionOf(engine.execute({ id: 'job-1', command: ok }));
    expect(error).toMatchObject({ code: 'INVALID_REQUEST', field: 'id' });
    expect(engine.stats().retained).toBe(1);
    expect(engine.removeExecution('job-1')).toBe(true);
    await expect(engine.run({ id: 'job-1', command: ok })).resolves.toMatchObject({ id: 'job-1' });
  });

  test('two concurrent requests with the same id: exactly one is registered', async () => {
    const { engine } = engineWithEvents();
    const outcomes = await Promise.allSettled([
      engine.execute({ id: 'same', command: ok }),
      engine.execute({ id: 'same', command: ok }),
    ]);
    expect(outcomes.map((outcome) => outcome.status).sort()).toEqual(['fulfilled', 'rejected']);
    const rejected = outcomes.find((outcome) => outcome.status === 'rejected');
    expect(rejected?.reason).toMatchObject({ code: 'INVALID_REQUEST', field: 'id' });
    expect(engine.stats().retained).toBe(1);
  });
});

describe('after a rejection', () => {
  test('the same engine still runs valid requests', async () => {
    const { engine } = engineWithEvents();
    await rejectionOf(engine.execute(invalid({ command: ok, timeoutMs: -1 })));
    const result = await engine.run({ command: shell('echo still working') });
    expect(result.stdout).toBe('still working');
    expect(engine.stats()).toMatchObject({ retained: 1, completed: 1 });
  });

  test('a valid command with one invalid field is never spawned', async () => {
    const { engine, events } = engineWithEvents();
    await rejectionOf(engine.execute(invalid({ command: script(`${SAMPLE_SCRIPTS_DIR}/plain.sh`), env: 1 })));
    expect(events.filter((event) => event.type === 'started')).toEqual([]);
    expect(engine.stats().running).toBe(0);
  });
});
