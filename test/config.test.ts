import { tmpdir } from 'node:os';
import { afterEach, describe, expect, test } from 'vitest';
import {
  DEFAULT_CONFIG,
  type ExecutionConfig,
  ExecutionEngine,
  InvalidConfigError,
  isExecutionError,
} from '../src/index.js';
import { createEngine, shutDownTrackedEngines, thrownBy } from './helpers/tracked-engine.js';

afterEach(shutDownTrackedEngines);

/** The defaults exactly as the spec's table lists them. */
const SPEC_DEFAULTS: ExecutionConfig = {
  defaultTimeoutMs: 300_000,
  maxTimeoutMs: 3_600_000,
  streamOutput: true,
  logDir: undefined,
  maxConcurrentExecutions: 100,
  onConcurrencyLimit: 'queue',
  maxQueuedExecutions: 10_000,
  minStartIntervalMs: 0,
  maxInMemoryExecutions: 1000,
  executionRetentionMs: 3_600_000,
  enableAutoCleanup: true,
  cleanupIntervalMs: 60_000,
  maxOutputSizeBytes: 10_485_760,
  oversizedOutputStrategy: 'truncateWithWarning',
  killSignal: 'SIGTERM',
  killGraceMs: 5000,
  killOnExit: true,
  journal: undefined,
  requeueOnRecover: true,
  progressIntervalMs: 100,
  groups: undefined,
  defaultGroupLimits: undefined,
};

/** Builds an engine from an untyped config and returns what it threw. */
function configError(config: unknown): unknown {
  return thrownBy(() => {
    const engine = new ExecutionEngine(config as Partial<ExecutionConfig>);
    // Only reached when the config was (wrongly) accepted: do not leak the engine.
    void engine.shutdown({ graceMs: 0 });
  });
}

describe('defaults', () => {
  test('engine.config without arguments is exactly the spec table', async () => {
    const engine = new ExecutionEngine();
    try {
      expect(engine.config).toStrictEqual(SPEC_DEFAULTS);
    } finally {
      await engine.shutdown({ graceMs: 0 });
    }
  });

  test('engine.config with an empty config is exactly the spec table', () => {
    const engine = new ExecutionEngine({});
    expect(engine.config).toStrictEqual(SPEC_DEFAULTS);
    void engine.shutdown();
  });

  test('DEFAULT_CONFIG is the spec table and cannot be changed', () => {
    expect(DEFAULT_CONFIG).toStrictEqual(SPEC_DEFAULTS);
    expect(Object.isFrozen(DEFAULT_CONFIG)).toBe(true);
  });

  test('a key given as undefined keeps its default', () => {
    const engine = createEngine({ maxConcurrentExecutions: undefined, killSignal: undefined } as never);
    expect(engine.config.maxConcurrentExecutions).toBe(100);
    expect(engine.config.killSignal).toBe('SIGTERM');
  });

  test('the config object given is not modified', () => {
    const given = { maxConcurrentExecutions: 3 };
    createEngine(given);
    expect(given).toEqual({ maxConcurrentExecutions: 3 });
  });
});

describe('a valid config is accepted', () => {
  test('every key set to a non-default value shows up in engine.config', () => {
    const config: ExecutionConfig = {
      defaultTimeoutMs: 1000,
      maxTimeoutMs: 2000,
      streamOutput: false,
      logDir: tmpdir(),
      maxConcurrentExecutions: 2,
      onConcurrencyLimit: 'reject',
      maxQueuedExecutions: 0,
      minStartIntervalMs: 10,
      maxInMemoryExecutions: 0,
      executionRetentionMs: 0,
      enableAutoCleanup: false,
      cleanupIntervalMs: 1,
      maxOutputSizeBytes: 1,
      oversizedOutputStrategy: 'failExecution',
      killSignal: 'SIGKILL',
      killGraceMs: 0,
      killOnExit: false,
      journal: undefined,
      requeueOnRecover: false,
      progressIntervalMs: 0,
      groups: { 'tenant-a': { maxConcurrent: 1, minStartIntervalMs: 5 } },
      defaultGroupLimits: { maxConcurrent: 3 },
    };
    expect(createEngine(config).config).toStrictEqual(config);
  });

  test.each<[string, Partial<ExecutionConfig>]>([
    ['defaultTimeoutMs equal to maxTimeoutMs', { defaultTimeoutMs: 5000, maxTimeoutMs: 5000 }],
    ['streamToFile', { oversizedOutputStrategy: 'streamToFile' }],
    ['truncateWithWarning', { oversizedOutputStrategy: 'truncateWithWarning' }],
    ['killSignal SIGINT', { killSignal: 'SIGINT' }],
    ['killSignal SIGHUP', { killSignal: 'SIGHUP' }],
    ['logDir undefined', { logDir: undefined }],
    ['the largest timer delay', { maxTimeoutMs: 2_147_483_647, defaultTimeoutMs: 2_147_483_647 }],
    ['beyond the largest timer delay', { maxTimeoutMs: 2_147_483_648, defaultTimeoutMs: 2_147_483_648 }],
    ['no cap on timeouts', { maxTimeoutMs: Number.POSITIVE_INFINITY }],
    ['no timeout by default', { maxTimeoutMs: Number.POSITIVE_INFINITY, defaultTimeoutMs: 0 }],
  ])('%s', (_name, config) => {
    expect(createEngine(config).config).toMatchObject(config);
  });
});

describe('an invalid config throws InvalidConfigError naming the key', () => {
  test.each<[string, unknown, RegExp]>([
    ['defaultTimeoutMs', 0, /`0` \(number\)/],
    ['defaultTimeoutMs', -1, /`-1` \(number\)/],
    ['defaultTimeoutMs', 1.5, /`1\.5` \(number\)/],
    ['defaultTimeoutMs', Number.NaN, /`NaN` \(number\)/],
    ['defaultTimeoutMs', '1000', /`"1000"` \(string\)/],
    ['maxTimeoutMs', 0, /`0`/],
    ['maxTimeoutMs', Number.NEGATIVE_INFINITY, /`-Infinity`/],
    ['maxTimeoutMs', 1.5, /`1\.5`/],
    ['streamOutput', 'yes', /boolean.*`"yes"` \(string\)/],
    ['streamOutput', 1, /boolean.*`1` \(number\)/],
    ['logDir', '', /path.*`""` \(string\)/],
    ['logDir', 42, /path.*`42` \(number\)/],
    ['logDir', 'logs\0', /path/],
    ['logDir', null, /path.*`null` \(null\)/],
    ['maxConcurrentExecutions', 0, /`0`/],
    ['maxConcurrentExecutions', 2.5, /`2\.5`/],
    ['maxConcurrentExecutions', -1, /`-1`/],
    ['onConcurrencyLimit', 'drop', /'queue', 'reject'.*`"drop"`/],
    ['onConcurrencyLimit', 'QUEUE', /`"QUEUE"`/],
    ['maxQueuedExecutions', -1, /`-1`/],
    ['maxQueuedExecutions', 1.5, /`1\.5`/],
    ['minStartIntervalMs', -1, /`-1`/],
    ['minStartIntervalMs', '10', /`"10"`/],
    ['maxInMemoryExecutions', -1, /`-1`/],
    ['executionRetentionMs', -1, /`-1`/],
    ['executionRetentionMs', Number.NaN, /`NaN`/],
    ['enableAutoCleanup', 'true', /boolean.*`"true"`/],
    ['cleanupIntervalMs', 0, /`0`/],
    ['cleanupIntervalMs', -1, /`-1`/],
    ['maxOutputSizeBytes', 0, /`0`/],
    ['maxOutputSizeBytes', 1.5, /`1\.5`/],
    ['oversizedOutputStrategy', 'truncate', /'truncateWithWarning'.*`"truncate"`/],
    ['killSignal', 'SIGFOO', /signal.*`"SIGFOO"`/],
    ['killSignal', 'sigterm', /`"sigterm"`/],
    ['killSignal', 15, /`15` \(number\)/],
    ['killGraceMs', -1, /`-1`/],
    ['killGraceMs', 0.5, /`0\.5`/],
    ['killOnExit', 0, /boolean.*`0` \(number\)/],
    ['killOnExit', null, /boolean.*`null`/],
  ])('%s = %s', (key, value, message) => {
    const error = configError({ [key]: value });
    expect(error).toBeInstanceOf(InvalidConfigError);
    expect(isExecutionError(error)).toBe(true);
    expect(error).toMatchObject({ code: 'INVALID_CONFIG', name: 'InvalidConfigError', key });
    expect((error as Error).message).toContain(`\`${key}\``);
    expect((error as Error).message).toMatch(message);
  });

  // Also Object.prototype's names: a computed `[key]` makes an own property, even `__proto__`.
  const unknownKeys = ['timeout', 'maxConcurrency', 'DefaultTimeoutMs', 'journalDir'];
  test.each([...unknownKeys, ...Object.getOwnPropertyNames(Object.prototype)])('unknown key %s', (key) => {
    const error = configError({ [key]: 1 });
    expect(Object.hasOwn({ [key]: 1 }, key)).toBe(true);
    expect(error).toBeInstanceOf(InvalidConfigError);
    expect(error).toMatchObject({ key, message: expect.stringContaining(`\`${key}\``) });
  });

  test('defaultTimeoutMs greater than maxTimeoutMs', () => {
    const error = configError({ defaultTimeoutMs: 10_001, maxTimeoutMs: 10_000 });
    expect(error).toBeInstanceOf(InvalidConfigError);
    expect(error).toMatchObject({ key: 'defaultTimeoutMs' });
    expect((error as Error).message).toMatch(/`defaultTimeoutMs`.*maxTimeoutMs.*10000.*`10001`/);
  });

  test('defaultTimeoutMs greater than the default maxTimeoutMs', () => {
    expect(configError({ defaultTimeoutMs: 3_600_001 })).toMatchObject({ key: 'defaultTimeoutMs' });
  });

  test.each([
    ['null', null],
    ['a string', 'fast'],
    ['an array', [{ maxConcurrentExecutions: 1 }]],
    ['a number', 5],
  ])('a config that is %s', (_name, config) => {
    const error = configError(config);
    expect(error).toBeInstanceOf(InvalidConfigError);
    expect(error).toMatchObject({ key: 'config' });
  });
});
