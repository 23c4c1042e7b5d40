import { describe, expect, test } from 'vitest';
import { ExecutionCancelledError, ExecutionTimeoutError, OutputSizeExceededError } from '../../src/errors.js';
import { decideOutcome, type OutcomeContext } from '../../src/execution/outcome.js';
import { toSpawnError } from '../../src/spawn/spawn-process.js';

const context: OutcomeContext = {
  id: 'job-1',
  command: { file: 'sleep', args: ['5'] },
  limitBytes: 100,
  parseJson: false,
  stdout: () => '',
  spawnError: (error) => toSpawnError(error, context.command, 'job-1'),
  timeoutMs: 250,
};
const killed = { exitCode: null, signal: 'SIGTERM' };

describe('decideOutcome', () => {
  test('a timeout is status timeout, not a failure, with an ExecutionTimeoutError for run()', () => {
    const decision = decideOutcome('timeout', killed, context);
    expect(decision.status).toBe('timeout');
    expect(decision.error).toBeUndefined();
    expect(decision.errorCause).toBeInstanceOf(ExecutionTimeoutError);
    expect(decision.errorCause).toMatchObject({
      name: 'ExecutionTimeoutError',
      code: 'TIMEOUT',
      timeoutMs: 250,
      executionId: 'job-1',
      message: 'Command timed out after 250 milliseconds: sleep 5',
    });
  });

  test.each([
    ['cancel', 'user pressed stop'],
    ['cancel', undefined],
    ['shutdown', 'shutdown'],
  ] as const)('a %s (reason %s) is status cancelled with an ExecutionCancelledError', (reason, text) => {
    const decision = decideOutcome(reason, killed, { ...context, cancelReason: text });
    expect(decision.status).toBe('cancelled');
    expect(decision.error).toBeUndefined();
    expect(decision.errorCause).toBeInstanceOf(ExecutionCancelledError);
    expect(decision.errorCause).toMatchObject({ code: 'CANCELLED', reason: text, executionId: 'job-1' });
    expect((decision.errorCause as ExecutionCancelledError).message).toBe(
      text === undefined ? 'Command was cancelled: sleep 5' : `Command was cancelled (${text}): sleep 5`,
    );
  });

  test('the first reason decides, even when the process exited by itself meanwhile', () => {
    const decision = decideOutcome('timeout', { exitCode: 0, signal: null }, context);
    expect(decision.errorCause).toBeInstanceOf(ExecutionTimeoutError);
  });

  test('an execution stopped before it started is cancelled with the cause as well', () => {
    const decision = decideOutcome(
      'cancel',
      { exitCode: null, signal: null },
      { ...context, cancelReason: 'x' },
    );
    expect(decision).toMatchObject({ status: 'cancelled', errorCause: { reason: 'x' } });
  });

  test('a spawn failure wins over the stop reason, and other endings keep their causes', () => {
    const spawnError = Object.assign(new Error('spawn sleep ENOENT'), { code: 'ENOENT' });
    expect(decideOutcome('cancel', { exitCode: null, signal: null, spawnError }, context)).toMatchObject({
      status: 'failed',
      errorCause: { code: 'SPAWN_FAILED' },
    });
    expect(decideOutcome('outputLimit', killed, context).errorCause).toBeInstanceOf(OutputSizeExceededError);
    expect(decideOutcome(undefined, { exitCode: 3, signal: null }, context).errorCause).toBeUndefined();
    expect(decideOutcome(undefined, killed, context).errorCause).toBeUndefined();
  });
});
