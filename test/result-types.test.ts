import { afterEach, describe, expect, expectTypeOf, test } from 'vitest';
import {
  type CancelledResult,
  type CompletedResult,
  type ExecutionAttempt,
  ExecutionEngine,
  ExecutionError,
  type ExecutionErrorCode,
  type ExecutionErrorInfo,
  type ExecutionEvent,
  type ExecutionRequest,
  type ExecutionResult,
  type ExecutionSnapshot,
  exec,
  type FailedResult,
  isExecutionError,
  isTerminalEvent,
  type LiveExecutionSnapshot,
  type NonZeroExitResult,
  type PartialExecutionConfig,
  type RetryCondition,
  type RetryingEvent,
  type RetryOptions,
  type RunningSnapshot,
  type StartedEvent,
  type SuccessfulResult,
  script,
  shell,
  type TerminalStatus,
  type TimeoutResult,
} from '../src/index.js';
import { createEngine, shutDownTrackedEngines } from './helpers/tracked-engine.js';

afterEach(shutDownTrackedEngines);

// Checked by `tsc --noEmit` (npm run typecheck); at run time `expectTypeOf` does nothing.

describe('ExecutionResult narrows by status', () => {
  test('only terminal statuses', () => {
    expectTypeOf<ExecutionResult['status']>().toEqualTypeOf<TerminalStatus>();
    // @ts-expect-error: a result is never running
    const running: ExecutionResult['status'] = 'running';
    expectTypeOf(running).toBeString();
  });

  test("status 'failed' has a non-optional error", () => {
    const check = (result: ExecutionResult) => {
      if (result.status === 'failed') {
        expectTypeOf(result).toEqualTypeOf<FailedResult>();
        expectTypeOf(result.error).toEqualTypeOf<ExecutionErrorInfo>();
        expectTypeOf(result.error.code).toEqualTypeOf<ExecutionErrorCode>();
      } else {
        expectTypeOf(result.error).toEqualTypeOf<undefined>();
      }
      if (result.error !== undefined) expectTypeOf(result).toEqualTypeOf<FailedResult>();
    };
    expectTypeOf(check).toBeFunction();
  });

  test("success: true implies status 'completed' and exitCode 0", () => {
    const check = (result: ExecutionResult) => {
      if (result.success) {
        expectTypeOf(result).toEqualTypeOf<SuccessfulResult>();
        expectTypeOf(result.status).toEqualTypeOf<'completed'>();
        expectTypeOf(result.exitCode).toEqualTypeOf<0>();
      } else {
        expectTypeOf(result.status).toEqualTypeOf<TerminalStatus>();
        expectTypeOf(result.exitCode).toEqualTypeOf<number | null>();
      }
      if (result.status === 'completed') {
        expectTypeOf(result).toEqualTypeOf<CompletedResult>();
        expectTypeOf(result).toEqualTypeOf<SuccessfulResult | NonZeroExitResult>();
      }
      if (result.status === 'timeout') expectTypeOf(result).toEqualTypeOf<TimeoutResult>();
      if (result.status === 'cancelled') expectTypeOf(result).toEqualTypeOf<CancelledResult>();
    };
    expectTypeOf(check).toBeFunction();
  });

  test('a switch over the status is exhaustive with the four terminal ones', () => {
    const describe = (result: ExecutionResult): string => {
      switch (result.status) {
        case 'completed':
          return `exit ${result.exitCode}`;
        case 'failed':
          return result.error.message;
        case 'timeout':
          return 'timeout';
        case 'cancelled':
          return 'cancelled';
        default:
          expectTypeOf(result).toBeNever();
          return result;
      }
    };
    expectTypeOf(describe).returns.toBeString();
  });
});

describe('ExecutionSnapshot narrows by status', () => {
  test('live snapshots have no error and no end; terminal ones are results', () => {
    expectTypeOf<ExecutionSnapshot['status']>().toEqualTypeOf<
      'queued' | 'running' | 'completed' | 'failed' | 'timeout' | 'cancelled'
    >();
    const check = (snapshot: ExecutionSnapshot) => {
      if (snapshot.status === 'queued' || snapshot.status === 'running') {
        expectTypeOf(snapshot).toEqualTypeOf<LiveExecutionSnapshot>();
        expectTypeOf(snapshot.success).toEqualTypeOf<false>();
        expectTypeOf(snapshot.error).toEqualTypeOf<undefined>();
        expectTypeOf(snapshot.completedAt).toEqualTypeOf<undefined>();
      } else {
        expectTypeOf(snapshot).toEqualTypeOf<ExecutionResult>();
        expectTypeOf(snapshot.completedAt).toEqualTypeOf<Date>();
        expectTypeOf(snapshot.durationMs).toBeNumber();
      }
      if (snapshot.status === 'running') expectTypeOf(snapshot).toEqualTypeOf<RunningSnapshot>();
      if (snapshot.status === 'failed') expectTypeOf(snapshot.error).toEqualTypeOf<ExecutionErrorInfo>();
      if (snapshot.success) expectTypeOf(snapshot.exitCode).toEqualTypeOf<0>();
    };
    expectTypeOf(check).toBeFunction();
    expectTypeOf<ExecutionResult>().toExtend<ExecutionSnapshot>();
  });
});

describe('error codes', () => {
  test('ExecutionErrorCode lists every code the library reports', () => {
    expectTypeOf<ExecutionErrorCode>().toEqualTypeOf<
      | 'INVALID_REQUEST'
      | 'INVALID_CONFIG'
      | 'EXECUTION_NOT_FOUND'
      | 'CONCURRENCY_LIMIT_REACHED'
      | 'OUTPUT_SIZE_EXCEEDED'
      | 'SPAWN_FAILED'
      | 'COMMAND_FAILED'
      | 'WAIT_TIMEOUT'
      | 'ENGINE_SHUT_DOWN'
      | 'TIMEOUT'
      | 'CANCELLED'
      | 'KILLED_BY_SIGNAL'
      | 'LOST'
      | 'EXPIRED'
      | 'PIPELINE_FAILED'
      | 'FAILED'
      | 'JOURNAL_LOCKED'
      | 'JOURNAL_NOT_OPEN'
      | 'JOURNAL_WRITE_FAILED'
    >();
    expectTypeOf<ExecutionError['code']>().toEqualTypeOf<ExecutionErrorCode>();
    expectTypeOf<ExecutionErrorInfo['code']>().toEqualTypeOf<ExecutionErrorCode>();
  });

  test('a typo in a code does not compile', () => {
    const check = (result: ExecutionResult, error: unknown) => {
      // @ts-expect-error: 'SPAWN_FAILDE' is not a code
      if (result.status === 'failed' && result.error.code === 'SPAWN_FAILDE') return true;
      // @ts-expect-error: 'SPAWN_FAILDE' is not a code
      if (isExecutionError(error) && error.code === 'SPAWN_FAILDE') return true;
      return result.status === 'failed' && result.error.code === 'SPAWN_FAILED';
    };
    expectTypeOf(check).returns.toBeBoolean();
    // @ts-expect-error: not a code of this library
    expectTypeOf(ExecutionError).toBeConstructibleWith('SOMETHING', 'message');
  });

  test('every code the library produces at run time is in the union', async () => {
    const engine = createEngine();
    const missing = await engine.run({ command: exec('./no-such-program-here') }).catch((error) => error);
    expect(isExecutionError(missing)).toBe(true);
    const result = (missing as { result: ExecutionResult }).result;
    expect(result.status).toBe('failed');
    if (result.status === 'failed') {
      const code: ExecutionErrorCode = result.error.code;
      expect(code).toBe('SPAWN_FAILED');
    }
  });
});

describe('ExecutionEngine<Meta>', () => {
  interface JobMeta extends Record<string, unknown> {
    jobId: string;
    attempt?: number;
  }

  test('types metadata on requests, snapshots, results and events', () => {
    const engine = createEngine() as unknown as ExecutionEngine<JobMeta>;
    expectTypeOf(engine.execute).parameter(0).toEqualTypeOf<ExecutionRequest<JobMeta>>();
    expectTypeOf(engine.run).returns.resolves.toEqualTypeOf<ExecutionResult<JobMeta>>();
    expectTypeOf(engine.waitForCompletion).returns.resolves.toEqualTypeOf<ExecutionResult<JobMeta>>();
    expectTypeOf(engine.getExecution).returns.toEqualTypeOf<ExecutionSnapshot<JobMeta>>();
    expectTypeOf(engine.getResult).returns.toEqualTypeOf<ExecutionResult<JobMeta> | undefined>();
    expectTypeOf(engine.list).returns.toEqualTypeOf<ExecutionSnapshot<JobMeta>[]>();
    expectTypeOf<ExecutionResult<JobMeta>['metadata']>().toEqualTypeOf<JobMeta | undefined>();
    expectTypeOf<ExecutionSnapshot<JobMeta>['metadata']>().toEqualTypeOf<JobMeta | undefined>();
    expectTypeOf(engine.execute).toBeCallableWith({ command: shell('true'), metadata: { jobId: 'a' } });
    // @ts-expect-error: jobId must be a string
    expectTypeOf(engine.execute).toBeCallableWith({ command: shell('true'), metadata: { jobId: 1 } });
    engine.on('stdout', (event) => expectTypeOf(event.metadata).toEqualTypeOf<JobMeta | undefined>());
    engine.on('failed', (event) => {
      expectTypeOf(event.result).toEqualTypeOf<FailedResult<JobMeta>>();
      expectTypeOf(event.result.metadata).toEqualTypeOf<JobMeta | undefined>();
    });
    engine.on('event', (event) => {
      expectTypeOf(event).toEqualTypeOf<ExecutionEvent<JobMeta>>();
      if (isTerminalEvent(event)) expectTypeOf(event.result.metadata).toEqualTypeOf<JobMeta | undefined>();
    });
    engine.addEventHandler({
      handleEvent: (event) => {
        expectTypeOf(event.metadata).toEqualTypeOf<JobMeta | undefined>();
      },
    });
    // The last overload is the per-line one; `lines: 'batched'` gives batched events.
    expectTypeOf<ReturnType<typeof engine.subscribe>>().toEqualTypeOf<
      AsyncIterable<ExecutionEvent<JobMeta>>
    >();
    expectTypeOf(engine.subscribe).toBeCallableWith('id', { lines: 'batched' });
  });

  test('defaults to Record<string, unknown>', () => {
    expectTypeOf<ExecutionResult['metadata']>().toEqualTypeOf<Record<string, unknown> | undefined>();
    expectTypeOf<ExecutionEngine>().toEqualTypeOf<ExecutionEngine<Record<string, unknown>>>();
  });

  test('the metadata comes back typed', async () => {
    const engine = new ExecutionEngine<JobMeta>({ enableAutoCleanup: false });
    try {
      const result = await engine.run({ command: exec('true'), metadata: { jobId: 'j-1', attempt: 2 } });
      expectTypeOf(result.metadata).toEqualTypeOf<JobMeta | undefined>();
      expect(result.metadata?.jobId).toBe('j-1');
      expect(result.success).toBe(true);
      if (result.success) expect(result.exitCode).toBe(0);
    } finally {
      await engine.shutdown();
    }
  });
});

describe('optional fields accept undefined (exactOptionalPropertyTypes)', () => {
  const maybe = <T>(value: T): T | undefined => value;

  test('requests, commands, options and config compile with maybe-undefined values', () => {
    expectTypeOf<{
      command: ReturnType<typeof shell>;
      timeoutMs: number | undefined;
      cwd: string | undefined;
      metadata: Record<string, unknown> | undefined;
    }>().toExtend<ExecutionRequest>();
    expectTypeOf<{
      maxConcurrentExecutions: number | undefined;
      logDir: string | undefined;
    }>().toExtend<PartialExecutionConfig>();
    expectTypeOf(ExecutionEngine).toBeConstructibleWith({ defaultTimeoutMs: maybe(1000) });
    expectTypeOf(script).toBeCallableWith('a.sh', { interpreter: maybe('bash'), args: maybe(['x']) });
  });

  test('at run time, undefined means absent', async () => {
    const engine = new ExecutionEngine({
      enableAutoCleanup: false,
      defaultTimeoutMs: undefined,
      maxConcurrentExecutions: undefined,
      killSignal: undefined,
      logDir: undefined,
      journal: undefined,
    });
    try {
      expect(engine.config.defaultTimeoutMs).toBe(300_000);
      expect(engine.config.maxConcurrentExecutions).toBe(100);
      expect(engine.config.killSignal).toBe('SIGTERM');
      const result = await engine.run({
        id: undefined,
        command: { type: 'exec', program: 'node', args: ['-e', 'process.stdout.write("ok")'] },
        cwd: undefined,
        env: undefined,
        inheritEnv: undefined,
        input: undefined,
        timeoutMs: maybe<number>(undefined as unknown as number),
        killSignal: undefined,
        killGraceMs: undefined,
        signal: undefined,
        metadata: undefined,
      });
      expect(result.status).toBe('completed');
      expect(result.stdout).toBe('ok');
      expect(result).not.toHaveProperty('metadata');
      const shellResult = await engine.run({
        command: { type: 'shell', command: 'echo hi', shell: undefined },
      });
      expect(shellResult.stdout).toBe('hi');
      const id = await engine.execute({ command: exec('true') });
      const waited = await engine.waitForCompletion(id, { timeoutMs: undefined, signal: undefined });
      expect(waited.success).toBe(true);
      expect(engine.list({ status: undefined })).toHaveLength(3);
    } finally {
      await engine.shutdown({ graceMs: undefined, kill: undefined });
    }
  });
});

describe('retries in the types', () => {
  test('every result and snapshot lists its attempts', () => {
    expectTypeOf<ExecutionResult['attempts']>().toEqualTypeOf<ExecutionAttempt[]>();
    expectTypeOf<ExecutionSnapshot['attempts']>().toEqualTypeOf<ExecutionAttempt[]>();
    expectTypeOf<ExecutionAttempt['attempt']>().toEqualTypeOf<number>();
    expectTypeOf<ExecutionAttempt['status']>().toEqualTypeOf<TerminalStatus>();
    expectTypeOf<ExecutionAttempt['exitCode']>().toEqualTypeOf<number | null>();
    expectTypeOf<ExecutionAttempt['signal']>().toEqualTypeOf<string | null>();
    expectTypeOf<ExecutionAttempt['completedAt']>().toEqualTypeOf<Date>();
    // Absent for an attempt whose process never started.
    expectTypeOf<ExecutionAttempt['pid']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<ExecutionAttempt['startedAt']>().toEqualTypeOf<Date | undefined>();
    expectTypeOf<ExecutionAttempt['error']>().toEqualTypeOf<ExecutionErrorInfo | undefined>();
  });

  test('started carries its attempt; retrying names the next one and how the previous ended', () => {
    expectTypeOf<StartedEvent['attempt']>().toEqualTypeOf<number>();
    expectTypeOf<Extract<ExecutionEvent, { type: 'retrying' }>>().toEqualTypeOf<RetryingEvent>();
    expectTypeOf<RetryingEvent['attempt']>().toEqualTypeOf<number>();
    expectTypeOf<RetryingEvent['delayMs']>().toEqualTypeOf<number>();
    expectTypeOf<RetryingEvent['previous']['status']>().toEqualTypeOf<TerminalStatus>();
    expectTypeOf<RetryingEvent['previous']['error']>().toEqualTypeOf<ExecutionErrorInfo | undefined>();
    const engine = new ExecutionEngine<{ job: string }>();
    engine.on('retrying', (event) => {
      expectTypeOf(event).toEqualTypeOf<RetryingEvent<{ job: string }>>();
    });
  });

  test('retry options: attempts required, `on` a list of conditions or a rule on the result', () => {
    expectTypeOf<ExecutionRequest['retry']>().toEqualTypeOf<RetryOptions | undefined>();
    expectTypeOf<RetryCondition>().toEqualTypeOf<'nonZeroExit' | 'killedBySignal' | 'timeout'>();
    const list: RetryOptions = { attempts: 3, on: ['nonZeroExit', 'timeout'] };
    const rule: RetryOptions = { attempts: 3, on: (result) => result.status === 'timeout' };
    expectTypeOf(list).toExtend<RetryOptions>();
    expectTypeOf(rule).toExtend<RetryOptions>();
    // @ts-expect-error: attempts is required
    const missing: RetryOptions = { delayMs: 10 };
    // @ts-expect-error: not a condition
    const unknown: RetryOptions = { attempts: 2, on: ['always'] };
    // @ts-expect-error: backoff is fixed or exponential
    const linear: RetryOptions = { attempts: 2, backoff: 'linear' };
    expect([missing, unknown, linear]).toHaveLength(3);
  });
});
