import { runInNewContext } from 'node:vm';
import { afterEach, describe, expect, test } from 'vitest';
import { nameErrors } from '../src/errors.js';
import * as api from '../src/index.js';
import {
  CommandFailedError,
  ConcurrencyLimitReachedError,
  EngineShutDownError,
  ExecutionCancelledError,
  ExecutionError,
  type ExecutionEvent,
  ExecutionExpiredError,
  ExecutionNotFoundError,
  type ExecutionResult,
  ExecutionTimeoutError,
  exec,
  InvalidConfigError,
  InvalidRequestError,
  isExecutionError,
  OutputSizeExceededError,
  PipelineFailedError,
  type PipelineResult,
  SpawnError,
  shell,
  WaitTimeoutError,
} from '../src/index.js';
import { fixture, node } from './helpers/fixtures.js';
import { createEngine, rejectionOf, shutDownTrackedEngines } from './helpers/tracked-engine.js';

afterEach(shutDownTrackedEngines);

const BRAND = Symbol.for('execution-engine.error');

/** A finished result, for constructing `CommandFailedError` directly. */
const sampleResult: ExecutionResult = {
  id: 'job-1',
  status: 'completed',
  success: false,
  exitCode: 1,
  signal: null,
  stdout: '',
  stderr: '',
  stdoutTruncated: false,
  stderrTruncated: false,
  command: { file: 'false', args: [] },
  createdAt: new Date(0),
  completedAt: new Date(0),
  durationMs: 0,
  attempts: [],
  outputs: {},
};

/** An ended pipeline, for constructing `PipelineFailedError` directly. */
const samplePipeline: PipelineResult = {
  id: 'pipe-1',
  status: 'failed',
  steps: [{ key: 'a', status: 'completed', dependsOn: [], onFailure: 'fail', executionId: 'pipe-1.a' }],
  summary: {
    total: 1,
    pending: 0,
    queued: 0,
    running: 0,
    completed: 1,
    failed: 0,
    timeout: 0,
    cancelled: 0,
    skipped: 0,
  },
  progress: 1,
  createdAt: new Date(0),
  completedAt: new Date(0),
  success: false,
  results: { a: sampleResult },
};

const cases: [string, string, () => ExecutionError][] = [
  ['ExecutionError', 'LOST', () => new ExecutionError('LOST', 'base')],
  ['InvalidRequestError', 'INVALID_REQUEST', () => new InvalidRequestError('cwd', 'bad cwd')],
  ['InvalidConfigError', 'INVALID_CONFIG', () => new InvalidConfigError('killSignal', 'bad signal')],
  ['ExecutionNotFoundError', 'EXECUTION_NOT_FOUND', () => new ExecutionNotFoundError('job-1')],
  [
    'ConcurrencyLimitReachedError',
    'CONCURRENCY_LIMIT_REACHED',
    () => new ConcurrencyLimitReachedError(4, 'full'),
  ],
  ['OutputSizeExceededError', 'OUTPUT_SIZE_EXCEEDED', () => new OutputSizeExceededError(1024, 'too much')],
  ['SpawnError', 'SPAWN_FAILED', () => new SpawnError('not found')],
  ['CommandFailedError', 'COMMAND_FAILED', () => new CommandFailedError(sampleResult, 'failed')],
  ['WaitTimeoutError', 'WAIT_TIMEOUT', () => new WaitTimeoutError('job-1', 100)],
  ['EngineShutDownError', 'ENGINE_SHUT_DOWN', () => new EngineShutDownError()],
  ['ExecutionTimeoutError', 'TIMEOUT', () => new ExecutionTimeoutError(100, 'timed out')],
  ['ExecutionCancelledError', 'CANCELLED', () => new ExecutionCancelledError('stop', 'cancelled')],
  ['ExecutionExpiredError', 'EXPIRED', () => new ExecutionExpiredError(100, 'expired')],
  ['PipelineFailedError', 'PIPELINE_FAILED', () => new PipelineFailedError(samplePipeline, 'failed')],
];

describe('error classes', () => {
  test.each(cases)('%s has code %s, its name, and extends ExecutionError and Error', (name, code, make) => {
    const error = make();
    expect(error.code).toBe(code);
    expect(error.name).toBe(name);
    expect(error).toBeInstanceOf(ExecutionError);
    expect(error).toBeInstanceOf(Error);
    expect(isExecutionError(error)).toBe(true);
    expect(String(error)).toMatch(new RegExp(`^${name}: `));
    expect(error.stack).toContain(name);
    // The name lives on the prototype, so it is not an own, enumerable field.
    expect(Object.keys(error)).not.toContain('name');
  });

  test('every error class the package exports is named after its export, on its prototype', () => {
    const classes = Object.entries(api as Record<string, unknown>).filter(
      (entry): entry is [string, new (...args: never[]) => Error] =>
        typeof entry[1] === 'function' && entry[1].prototype instanceof Error,
    );
    // The thirteen above and the three journal errors.
    expect(classes.map(([name]) => name).sort()).toEqual(
      [
        ...cases.map(([name]) => name),
        'JournalLockedError',
        'JournalNotOpenError',
        'JournalWriteError',
      ].sort(),
    );
    for (const [name, ErrorClass] of classes) {
      expect(Object.getOwnPropertyDescriptor(ErrorClass.prototype, 'name')).toEqual({
        value: name,
        configurable: true,
        writable: true,
        enumerable: false,
      });
    }
  });

  test('nameErrors names a class from its key, whatever the class is called', () => {
    const Renamed = class extends ExecutionError {};
    nameErrors({ MyError: Renamed });
    expect(new Renamed('FAILED', 'm').name).toBe('MyError');
    expect(String(new Renamed('FAILED', 'm'))).toBe('MyError: m');
  });

  test('each subclass is an instance of its own class only', () => {
    const errors = cases.slice(1).map(([, , make]) => make());
    const classes = errors.map((error) => error.constructor);
    for (const [i, error] of errors.entries()) {
      for (const [j, ErrorClass] of classes.entries()) expect(error instanceof ErrorClass).toBe(i === j);
    }
  });

  test.each<[string, ExecutionError, Record<string, unknown>]>([
    ['InvalidRequestError', new InvalidRequestError('cwd', 'm'), { field: 'cwd' }],
    ['InvalidConfigError', new InvalidConfigError('killSignal', 'm'), { key: 'killSignal' }],
    ['ConcurrencyLimitReachedError', new ConcurrencyLimitReachedError(4, 'm'), { limit: 4 }],
    ['OutputSizeExceededError', new OutputSizeExceededError(1024, 'm'), { limitBytes: 1024 }],
    [
      'CommandFailedError',
      new CommandFailedError(sampleResult, 'm'),
      { result: sampleResult, executionId: 'job-1' },
    ],
    ['ExecutionNotFoundError', new ExecutionNotFoundError('job-9'), { executionId: 'job-9' }],
    ['WaitTimeoutError', new WaitTimeoutError('job-9', 250), { executionId: 'job-9' }],
    [
      'ExecutionTimeoutError',
      new ExecutionTimeoutError(250, 'm', { executionId: 'job-9' }),
      { timeoutMs: 250, executionId: 'job-9' },
    ],
    ['ExecutionCancelledError', new ExecutionCancelledError('shutdown', 'm'), { reason: 'shutdown' }],
    [
      'ExecutionCancelledError without a reason',
      new ExecutionCancelledError(undefined, 'm'),
      { reason: undefined },
    ],
  ])('%s carries its context', (_name, error, fields) => {
    expect(error).toMatchObject(fields);
  });

  test('messages say what happened and name the execution', () => {
    expect(new ExecutionNotFoundError('job-9').message).toContain('job-9');
    expect(new WaitTimeoutError('job-9', 250).message).toMatch(/250 milliseconds.*job-9/);
  });

  test('the cause is kept', () => {
    const cause = new Error('ENOENT');
    expect(new SpawnError('m', { cause }).cause).toBe(cause);
    expect(new CommandFailedError(sampleResult, 'm', cause).cause).toBe(cause);
    expect(new ExecutionError('FAILED', 'm')).not.toHaveProperty('cause');
  });

  test('executionId is undefined unless given', () => {
    expect(new SpawnError('m').executionId).toBeUndefined();
    expect(new SpawnError('m', { executionId: 'job-1' }).executionId).toBe('job-1');
  });
});

describe('isExecutionError', () => {
  test.each([
    ['a plain Error', new Error('x')],
    ['a TypeError', new TypeError('x')],
    ['null', null],
    ['undefined', undefined],
    ['a string', 'INVALID_REQUEST'],
    ['a number', 42],
    ['an object with a code', { code: 'INVALID_REQUEST', message: 'x' }],
    ['an object whose brand is not true', { [BRAND]: 'true' }],
    ['an object with a different symbol', { [Symbol('execution-engine.error')]: true }],
    ['an error from another realm without the brand', runInNewContext('new Error("x")')],
  ])('is false for %s', (_name, value) => {
    expect(isExecutionError(value)).toBe(false);
  });

  test('is true for an object from another realm carrying the brand', () => {
    const foreign = runInNewContext(
      "({ [Symbol.for('execution-engine.error')]: true, code: 'SPAWN_FAILED', message: 'm' })",
    );
    expect(foreign instanceof Object).toBe(false);
    expect(isExecutionError(foreign)).toBe(true);
  });

  test('is true for a branded Error from another realm, though instanceof fails', () => {
    const foreign = runInNewContext(`
      const error = new Error('from elsewhere');
      Object.defineProperty(error, Symbol.for('execution-engine.error'), { value: true });
      error.code = 'COMMAND_FAILED';
      error;
    `);
    expect(foreign instanceof Error).toBe(false);
    expect(foreign instanceof ExecutionError).toBe(false);
    expect(isExecutionError(foreign)).toBe(true);
  });

  test('the brand on our errors is the registered symbol, and is not enumerable', () => {
    const error = new SpawnError('m');
    expect((error as unknown as Record<symbol, unknown>)[BRAND]).toBe(true);
    expect(Object.keys(error)).not.toContain(BRAND.toString());
    expect(JSON.stringify({ ...error })).not.toContain('execution-engine');
  });
});

describe('spawn failures', () => {
  const missing = exec('execution-engine-no-such-program', ['--flag', 'two words']);

  test('execute does not throw for a missing program; the execution ends failed with SPAWN_FAILED', async () => {
    const engine = createEngine();
    const events: ExecutionEvent[] = [];
    engine.on('event', (event) => events.push(event));
    const id = await engine.execute({ command: missing });
    const result = await engine.waitForCompletion(id);
    expect(result).toMatchObject({
      status: 'failed',
      success: false,
      exitCode: null,
      signal: null,
      durationMs: 0,
      error: { code: 'SPAWN_FAILED' },
    });
    expect(result).not.toHaveProperty('pid');
    expect(result).not.toHaveProperty('startedAt');
    expect(events.map((event) => event.type)).toEqual(['failed']);
    expect(events[0]).toMatchObject({ error: { code: 'SPAWN_FAILED' }, result: { id } });
    expect(engine.stats()).toMatchObject({ failed: 1, running: 0 });
  });

  test('run rejects with CommandFailedError whose cause is a SpawnError and whose message has the command', async () => {
    const engine = createEngine();
    const error = await rejectionOf(engine.run({ command: missing }));
    expect(error).toBeInstanceOf(CommandFailedError);
    const failed = error as CommandFailedError;
    expect(failed.code).toBe('COMMAND_FAILED');
    expect(failed.cause).toBeInstanceOf(SpawnError);
    expect(failed.cause).toMatchObject({ code: 'SPAWN_FAILED', executionId: failed.result.id });
    expect(failed.result.status).toBe('failed');
    expect(failed.result.error?.code).toBe('SPAWN_FAILED');
    expect(failed.executionId).toBe(failed.result.id);
    expect(failed.message).toContain("execution-engine-no-such-program --flag 'two words'");
    expect(failed.message).toMatch(/ENOENT/);
    expect(engine.getResult(failed.result.id)).toEqual(failed.result);
  });

  test('run rejects with CommandFailedError without cause for a non-zero exit', async () => {
    const engine = createEngine();
    const error = await rejectionOf(engine.run({ command: shell('exit 3') }));
    expect(error).toBeInstanceOf(CommandFailedError);
    expect(error).toMatchObject({ result: { status: 'completed', exitCode: 3, success: false } });
    expect((error as Error).message).toMatch(/exit code 3.*exit 3/);
    expect((error as Error).cause).toBeUndefined();
  });

  test('run rejects with InvalidRequestError (not CommandFailedError) for an invalid request', async () => {
    const engine = createEngine();
    const error = await rejectionOf(engine.run({ command: exec('') }));
    expect(error).toBeInstanceOf(InvalidRequestError);
  });

  test('ExecutionNotFoundError for an unknown id', () => {
    const engine = createEngine();
    expect(() => engine.getStatus('no-such-id')).toThrow(ExecutionNotFoundError);
  });

  test('EngineShutDownError after shutdown', async () => {
    const engine = createEngine();
    await engine.shutdown({ graceMs: 0 });
    const error = await rejectionOf(engine.execute({ command: exec('true') }));
    expect(error).toBeInstanceOf(EngineShutDownError);
    expect(error).toMatchObject({ code: 'ENGINE_SHUT_DOWN' });
  });
});

/** run()'s rejection, checked to be a CommandFailedError. */
async function commandFailure(promise: Promise<unknown>): Promise<CommandFailedError> {
  const error = await rejectionOf(promise);
  expect(error).toBeInstanceOf(CommandFailedError);
  return error as CommandFailedError;
}

/** Resolves once the execution `id` has started. */
function startOf(engine: ReturnType<typeof createEngine>, id: string): Promise<void> {
  return new Promise((resolve) => {
    engine.on('started', (event) => {
      if (event.executionId === id) resolve();
    });
  });
}

describe("run()'s cause when the engine stopped the command", () => {
  test('timeout: an ExecutionTimeoutError with timeoutMs; the result has no error', async () => {
    const engine = createEngine();
    const failed = await commandFailure(engine.run({ command: exec('sleep', ['5']), timeoutMs: 100 }));
    expect(failed.result).toMatchObject({ status: 'timeout', success: false });
    expect(failed.result.error).toBeUndefined();
    expect(failed.cause).toBeInstanceOf(ExecutionTimeoutError);
    expect(failed.cause).toMatchObject({
      name: 'ExecutionTimeoutError',
      code: 'TIMEOUT',
      timeoutMs: 100,
      executionId: failed.result.id,
      message: 'Command timed out after 100 milliseconds: sleep 5',
    });
    expect(isExecutionError(failed.cause)).toBe(true);
  });

  test('cancel(id, reason): an ExecutionCancelledError with that reason', async () => {
    const engine = createEngine();
    const started = startOf(engine, 'job-c');
    const run = engine.run({ id: 'job-c', command: exec('sleep', ['5']) });
    await started;
    const failure = commandFailure(run); // handled before the cancel, which it may beat
    await engine.cancel('job-c', 'user pressed stop');
    const failed = await failure;
    expect(failed.result).toMatchObject({ status: 'cancelled' });
    expect(failed.result.error).toBeUndefined();
    expect(failed.cause).toBeInstanceOf(ExecutionCancelledError);
    expect(failed.cause).toMatchObject({
      name: 'ExecutionCancelledError',
      code: 'CANCELLED',
      reason: 'user pressed stop',
      executionId: 'job-c',
    });
    expect(failed.message).toBe('Command was cancelled (user pressed stop): sleep 5');
  });

  test('cancel(id) without a reason, of a queued execution: reason undefined', async () => {
    const engine = createEngine({ maxConcurrentExecutions: 1 });
    void engine.execute({ command: exec('sleep', ['5']) });
    const run = engine.run({ id: 'job-q', command: exec('sleep', ['5']) });
    await new Promise<void>((resolve) =>
      engine.on('queued', (event) => event.executionId === 'job-q' && resolve()),
    );
    const failure = commandFailure(run); // handled before the cancel, which it may beat
    await engine.cancel('job-q');
    const failed = await failure;
    expect(failed.result.status).toBe('cancelled');
    expect(failed.cause).toBeInstanceOf(ExecutionCancelledError);
    expect((failed.cause as ExecutionCancelledError).reason).toBeUndefined();
  });

  test("shutdown(): an ExecutionCancelledError with reason 'shutdown'", async () => {
    const engine = createEngine();
    const started = startOf(engine, 'job-s');
    const run = engine.run({ id: 'job-s', command: exec('sleep', ['5']) });
    await started;
    // Handled before the shutdown: the rejection may come before shutdown() resolves.
    const failure = commandFailure(run);
    await engine.shutdown({ graceMs: 0 });
    const failed = await failure;
    expect(failed.result.status).toBe('cancelled');
    expect(failed.cause).toBeInstanceOf(ExecutionCancelledError);
    expect(failed.cause).toMatchObject({ code: 'CANCELLED', reason: 'shutdown' });
  });
});

describe("run()'s message: the reason, the command, then the last lines of stderr", () => {
  test('a command printing 30 lines to stderr: its last 10 follow the summary line', async () => {
    const engine = createEngine();
    const command = shell(`"${node}" "${fixture('print-lines.js')}" 30 stderr; exit 2`);
    const failed = await commandFailure(engine.run({ command }));
    const [summary, ...tail] = failed.message.split('\n');
    expect(summary).toMatch(/^Command failed with exit code 2: \/bin\/sh -c /);
    expect(tail).toEqual(Array.from({ length: 10 }, (_, i) => `line ${21 + i}`));
    // The whole stderr is still in the result.
    expect(failed.result.stderr.split('\n')).toHaveLength(30);
    expect(failed.cause).toBeUndefined();
  });

  test('a single stderr line over 4 KiB: only its last 4 KiB, marked as cut', async () => {
    const engine = createEngine();
    const script = "process.stderr.write('x'.repeat(20000) + 'END\\n'); process.exitCode = 3";
    const failed = await commandFailure(engine.run({ command: exec(node, ['-e', script]) }));
    const newline = failed.message.indexOf('\n');
    expect(failed.message.slice(0, newline)).toMatch(/^Command failed with exit code 3: /);
    const tail = failed.message.slice(newline + 1);
    expect(Buffer.byteLength(tail)).toBeLessThanOrEqual(4096);
    expect(tail).toMatch(/^\.\.\.x{4000,}END$/);
    expect(failed.result.stderr).toHaveLength(20003);
  });

  test('no stderr: the summary line alone', async () => {
    const engine = createEngine();
    const failed = await commandFailure(engine.run({ command: shell('echo only stdout; exit 2') }));
    expect(failed.message).toBe("Command failed with exit code 2: /bin/sh -c 'echo only stdout; exit 2'");
  });

  test('a timeout: the summary names the timeout, then what the command printed to stderr', async () => {
    const engine = createEngine();
    const command = shell('echo starting >&2; echo waiting for the lock >&2; sleep 5');
    const failed = await commandFailure(engine.run({ command, timeoutMs: 300 }));
    expect(failed.message).toBe(
      "Command timed out after 300 milliseconds: /bin/sh -c 'echo starting >&2; echo waiting for the lock >&2; sleep 5'\nstarting\nwaiting for the lock",
    );
    // The cause's message is the summary alone.
    expect((failed.cause as Error).message).toBe(failed.message.split('\n')[0]);
  });
});
