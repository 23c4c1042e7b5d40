import { runInNewContext } from 'node:vm';
import { afterEach, describe, expect, test } from 'vitest';
import { nameErrors } from '../src/errors.js';
import * as api from '../src/index.js';
import {
  CommandFailedError,
  ConcurrencyLimitReachedError,
  EngineShutDownError,
  ExecutionError,
  type ExecutionEvent,
  ExecutionNotFoundError,
  type ExecutionResult,
  exec,
  InvalidConfigError,
  InvalidRequestError,
  isExecutionError,
  OutputSizeExceededError,
  SpawnError,
  shell,
  WaitTimeoutError,
} from '../src/index.js';
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
};

const cases: [string, string, () => ExecutionError][] = [
  ['ExecutionError', 'SOMETHING', () => new ExecutionError('SOMETHING', 'base')],
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
    // The ten above and the three journal errors.
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
    expect(new Renamed('CODE', 'm').name).toBe('MyError');
    expect(String(new Renamed('CODE', 'm'))).toBe('MyError: m');
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
    expect(new ExecutionError('X', 'm')).not.toHaveProperty('cause');
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
