import { afterEach, describe, expectTypeOf, test } from 'vitest';
import {
  type AwsCliCommand,
  awsCli,
  type BatchedEvent,
  type CancelledEvent,
  type Command,
  type CommandFailedError,
  type CompletedEvent,
  type CompletedResult,
  type ExecCommand,
  type ExecutionConfig,
  ExecutionEngine,
  type ExecutionError,
  type ExecutionErrorCode,
  type ExecutionEvent,
  type ExecutionResult,
  type ExecutionSnapshot,
  type ExecutionStatus,
  exec,
  type FailedEvent,
  type InvalidConfigError,
  type InvalidRequestError,
  isExecutionError,
  isTerminal,
  isTerminalEvent,
  type OutputEvent,
  type OutputTruncatedEvent,
  type PipelineEvent,
  type QueuedEvent,
  type ScriptCommand,
  type ShellCommand,
  type SpawnedCommand,
  type StartedEvent,
  type StderrEvent,
  type StdoutEvent,
  script,
  shell,
  type TerminalEvent,
  type TerminalStatus,
  type TimeoutEvent,
} from '../src/index.js';
import { createEngine, shutDownTrackedEngines } from './helpers/tracked-engine.js';

afterEach(shutDownTrackedEngines);

// These tests are checked by `tsc --noEmit`; at run time `expectTypeOf` does nothing.

describe('engine methods', () => {
  test('run and waitForCompletion resolve with ExecutionResult; execute with the id', () => {
    expectTypeOf<ExecutionEngine['run']>().returns.toEqualTypeOf<Promise<ExecutionResult>>();
    expectTypeOf<ExecutionEngine['waitForCompletion']>().returns.toEqualTypeOf<Promise<ExecutionResult>>();
    expectTypeOf<ExecutionEngine['execute']>().returns.toEqualTypeOf<Promise<string>>();
    expectTypeOf<ExecutionEngine['getStatus']>().returns.toEqualTypeOf<ExecutionStatus>();
    expectTypeOf<ExecutionEngine['getExecution']>().returns.toEqualTypeOf<ExecutionSnapshot>();
    expectTypeOf<ExecutionEngine['getResult']>().returns.toEqualTypeOf<ExecutionResult | undefined>();
    expectTypeOf<ExecutionEngine['list']>().returns.toEqualTypeOf<ExecutionSnapshot[]>();
    expectTypeOf<ExecutionEngine['cancel']>().returns.toEqualTypeOf<Promise<boolean>>();
    expectTypeOf<ExecutionEngine['removeExecution']>().returns.toEqualTypeOf<boolean>();
    expectTypeOf<ExecutionEngine['cleanup']>().returns.toEqualTypeOf<number>();
    expectTypeOf<ExecutionEngine['shutdown']>().returns.toEqualTypeOf<Promise<void>>();
  });

  test('the constructor takes an optional partial config and rejects unknown keys', () => {
    expectTypeOf(ExecutionEngine).toBeConstructibleWith();
    expectTypeOf(ExecutionEngine).toBeConstructibleWith({ maxConcurrentExecutions: 4, killSignal: 'SIGINT' });
    // @ts-expect-error: not a config key
    expectTypeOf(ExecutionEngine).toBeConstructibleWith({ maxConcurrency: 4 });
    // @ts-expect-error: not a strategy
    expectTypeOf(ExecutionEngine).toBeConstructibleWith({ oversizedOutputStrategy: 'drop' });
    expectTypeOf<ExecutionEngine['config']>().toEqualTypeOf<Readonly<ExecutionConfig>>();
  });
});

describe('typed events', () => {
  test('listeners get the event type of their name', () => {
    const engine = createEngine();
    engine.on('stdout', (event) => {
      expectTypeOf(event).toEqualTypeOf<StdoutEvent>();
      expectTypeOf(event.line).toBeString();
    });
    engine.on('stderr', (event) => expectTypeOf(event.line).toBeString());
    engine.on('queued', (event) => expectTypeOf(event).toEqualTypeOf<QueuedEvent>());
    engine.on('started', (event) => {
      expectTypeOf(event.pid).toBeNumber();
      expectTypeOf(event.command).toEqualTypeOf<SpawnedCommand>();
    });
    engine.on('outputTruncated', (event) => expectTypeOf(event).toEqualTypeOf<OutputTruncatedEvent>());
    engine.on('completed', (event) => expectTypeOf(event.result).toEqualTypeOf<CompletedResult>());
    engine.on('failed', (event) =>
      expectTypeOf(event.error).toEqualTypeOf<{ code: ExecutionErrorCode; message: string }>(),
    );
    engine.on('timeout', (event) => expectTypeOf(event.timeoutMs).toBeNumber());
    engine.on('cancelled', (event) => expectTypeOf(event.reason).toEqualTypeOf<string | undefined>());
    engine.once('event', (event) => expectTypeOf(event).toEqualTypeOf<ExecutionEvent>());
    engine.on('handlerError', (error, event) => {
      expectTypeOf(error).toBeUnknown();
      expectTypeOf(event).toEqualTypeOf<ExecutionEvent | OutputEvent | PipelineEvent>();
    });
    engine.addEventHandler(
      {
        handleEvent(event) {
          expectTypeOf(event).toEqualTypeOf<BatchedEvent>();
        },
      },
      { lines: 'batched' },
    );
    engine.addEventHandler({
      handleEvent(event) {
        expectTypeOf(event).toEqualTypeOf<ExecutionEvent>();
      },
    });
    // Types only: an unknown id would throw.
    const subscriptions = () => {
      expectTypeOf(engine.subscribe('x', { lines: 'batched' })).toEqualTypeOf<AsyncIterable<BatchedEvent>>();
      expectTypeOf(engine.subscribe('x')).toEqualTypeOf<AsyncIterable<ExecutionEvent>>();
    };
    expectTypeOf(subscriptions).toBeFunction();
    engine.on('output', (event) => {
      expectTypeOf(event).toEqualTypeOf<OutputEvent>();
      expectTypeOf(event.lines).toEqualTypeOf<string[]>();
      expectTypeOf(event.stream).toEqualTypeOf<'stdout' | 'stderr'>();
    });
    // @ts-expect-error: not an event name
    engine.on('finished', () => {});
    // @ts-expect-error: a stdout event has no pid
    engine.on('stdout', (event) => event.pid);
  });

  test('ExecutionEvent narrows by type', () => {
    expectTypeOf<Extract<ExecutionEvent, { type: 'queued' }>>().toEqualTypeOf<QueuedEvent>();
    expectTypeOf<Extract<ExecutionEvent, { type: 'started' }>>().toEqualTypeOf<StartedEvent>();
    expectTypeOf<Extract<ExecutionEvent, { type: 'stdout' }>>().toEqualTypeOf<StdoutEvent>();
    expectTypeOf<Extract<ExecutionEvent, { type: 'stderr' }>>().toEqualTypeOf<StderrEvent>();
    expectTypeOf<Extract<ExecutionEvent, { type: 'completed' }>>().toEqualTypeOf<CompletedEvent>();
    expectTypeOf<Extract<ExecutionEvent, { type: 'failed' }>>().toEqualTypeOf<FailedEvent>();
    expectTypeOf<Extract<ExecutionEvent, { type: 'timeout' }>>().toEqualTypeOf<TimeoutEvent>();
    expectTypeOf<Extract<ExecutionEvent, { type: 'cancelled' }>>().toEqualTypeOf<CancelledEvent>();
    expectTypeOf<ExecutionEvent['type']>().toEqualTypeOf<
      | 'queued'
      | 'started'
      | 'retrying'
      | 'stdout'
      | 'stderr'
      | 'outputTruncated'
      | 'progress'
      | 'recovered'
      | 'completed'
      | 'failed'
      | 'timeout'
      | 'cancelled'
    >();

    const describe = (event: ExecutionEvent): string => {
      expectTypeOf(event.seq).toBeNumber();
      expectTypeOf(event.executionId).toBeString();
      expectTypeOf(event.timestamp).toBeNumber();
      expectTypeOf(event.metadata).toEqualTypeOf<Record<string, unknown> | undefined>();
      switch (event.type) {
        case 'stdout':
          expectTypeOf(event).toEqualTypeOf<StdoutEvent>();
          return event.line;
        case 'started':
          expectTypeOf(event).toEqualTypeOf<StartedEvent>();
          return event.command.file;
        case 'failed':
          expectTypeOf(event).toEqualTypeOf<FailedEvent>();
          return event.error.code;
        default:
          return event.type;
      }
    };
    expectTypeOf(describe).returns.toBeString();
  });

  test('isTerminalEvent and isTerminal narrow', () => {
    const check = (event: ExecutionEvent, status: ExecutionStatus) => {
      if (isTerminalEvent(event)) {
        expectTypeOf(event).toEqualTypeOf<TerminalEvent>();
        expectTypeOf(event.result).toEqualTypeOf<ExecutionResult>();
      }
      if (isTerminal(status))
        expectTypeOf(status).toEqualTypeOf<'completed' | 'failed' | 'timeout' | 'cancelled'>();
    };
    expectTypeOf(check).toBeFunction();
  });
});

describe('builders', () => {
  test('return the command types', () => {
    expectTypeOf(shell('ls')).toEqualTypeOf<ShellCommand>();
    expectTypeOf(exec('ls', ['-l'])).toEqualTypeOf<ExecCommand>();
    expectTypeOf(script('a.sh', { args: ['x'] })).toEqualTypeOf<ScriptCommand>();
    expectTypeOf(awsCli('s3', 'ls', [], { output: 'json' })).toEqualTypeOf<AwsCliCommand>();
    expectTypeOf(shell('ls')).toExtend<Command>();
    expectTypeOf(awsCli('s3', 'ls')).toExtend<Command>();
  });

  test('reject wrong arguments', () => {
    // @ts-expect-error: args must be strings
    expectTypeOf(exec).toBeCallableWith('ls', [1]);
    // @ts-expect-error: not an AWS output format
    expectTypeOf(awsCli).toBeCallableWith('s3', 'ls', [], { output: 'xml' });
    // @ts-expect-error: script options are an object
    expectTypeOf(script).toBeCallableWith('a.sh', ['x']);
    expectTypeOf(exec).toBeCallableWith('ls', ['-l'] as const);
  });
});

describe('results and errors', () => {
  test('ExecutionResult has the spec fields', () => {
    expectTypeOf<ExecutionResult['status']>().toEqualTypeOf<TerminalStatus>();
    expectTypeOf<ExecutionResult['exitCode']>().toEqualTypeOf<number | null>();
    expectTypeOf<ExecutionResult['signal']>().toEqualTypeOf<string | null>();
    expectTypeOf<ExecutionResult['command']>().toEqualTypeOf<SpawnedCommand>();
    expectTypeOf<ExecutionResult['completedAt']>().toEqualTypeOf<Date>();
    expectTypeOf<ExecutionResult['durationMs']>().toEqualTypeOf<number>();
    expectTypeOf<ExecutionResult['json']>().toEqualTypeOf<unknown>();
    expectTypeOf<ExecutionSnapshot['completedAt']>().toEqualTypeOf<Date | undefined>();
  });

  test('errors expose their context and isExecutionError narrows', () => {
    expectTypeOf<CommandFailedError['result']>().toEqualTypeOf<ExecutionResult>();
    expectTypeOf<InvalidRequestError['field']>().toBeString();
    expectTypeOf<InvalidConfigError['key']>().toBeString();
    expectTypeOf<ExecutionError['code']>().toEqualTypeOf<ExecutionErrorCode>();
    expectTypeOf<CommandFailedError>().toExtend<ExecutionError>();
    const narrow = (value: unknown) => {
      if (isExecutionError(value)) expectTypeOf(value).toEqualTypeOf<ExecutionError>();
    };
    expectTypeOf(narrow).toBeFunction();
  });
});
