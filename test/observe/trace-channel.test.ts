import { tracingChannel } from 'node:diagnostics_channel';
import { afterEach, expect, test } from 'vitest';
import {
  CommandFailedError,
  EXECUTION_CHANNEL,
  type ExecutionTraceContext,
  exec,
  type StartedEvent,
} from '../../src/index.js';
import { ExecutionTracer } from '../../src/observe/trace-channel.js';
import { createEngine } from '../helpers/engine.js';
import { fixture, node } from '../helpers/fixtures.js';

type Seen = [phase: string, context: ExecutionTraceContext, status?: string | undefined];

const channel = tracingChannel<ExecutionTraceContext>(EXECUTION_CHANNEL);
let unsubscribe: (() => void) | undefined;
afterEach(() => {
  unsubscribe?.();
  unsubscribe = undefined;
});

/** Subscribes to every event of the channel, as an APM instrumentation does. */
function subscribe(): Seen[] {
  const seen: Seen[] = [];
  const handlers = {
    start: (context: ExecutionTraceContext) => seen.push(['start', context, context.snapshot.status]),
    end: (context: ExecutionTraceContext) => seen.push(['end', context]),
    asyncStart: (context: ExecutionTraceContext) => seen.push(['asyncStart', context]),
    asyncEnd: (context: ExecutionTraceContext) => seen.push(['asyncEnd', context, context.result?.status]),
    error: (context: ExecutionTraceContext) => seen.push(['error', context]),
  };
  channel.subscribe(handlers);
  unsubscribe = () => channel.unsubscribe(handlers);
  return seen;
}

test('a subscriber sees start and end when an execution starts, asyncStart and asyncEnd with its result', async () => {
  const seen = subscribe();
  const engine = createEngine();
  const result = await engine.run({ id: 'traced', command: exec('true') });
  expect(seen.map(([phase]) => phase)).toEqual(['start', 'end', 'asyncStart', 'asyncEnd']);
  const context = seen[0]?.[1] as ExecutionTraceContext;
  // One context object from start to end: instrumentations keep their span on it.
  for (const [, other] of seen) expect(other).toBe(context);
  expect(seen[0]?.[2]).toBe('running');
  expect(context.executionId).toBe('traced');
  expect(context.snapshot).toMatchObject({
    id: 'traced',
    status: 'running',
    pid: result.pid,
    commandType: 'exec',
  });
  expect(context.result).toBe(result);
  expect(context.error).toBeUndefined();
});

test('an execution that does not succeed publishes error (a CommandFailedError with the result) before asyncEnd', async () => {
  const seen = subscribe();
  const engine = createEngine();
  await engine.run({ id: 'exits-3', command: exec(node, [fixture('exit-with.js'), '3']) }).catch(() => {});
  expect(seen.map(([phase]) => phase)).toEqual(['start', 'end', 'error', 'asyncStart', 'asyncEnd']);
  const context = seen[0]?.[1] as ExecutionTraceContext;
  expect(context.error).toBeInstanceOf(CommandFailedError);
  expect(context.error?.message).toMatch(/exit code 3/);
  expect((context.error as CommandFailedError).result.exitCode).toBe(3);
  expect(seen.at(-1)?.[2]).toBe('completed');
});

test('retries are one traced execution: one start, one end', async () => {
  const seen = subscribe();
  const engine = createEngine();
  const retry = { attempts: 2, delayMs: 1, jitter: false };
  await engine.run({ command: exec(node, [fixture('exit-with.js'), '1']), retry }).catch(() => {});
  expect(seen.map(([phase]) => phase)).toEqual(['start', 'end', 'error', 'asyncStart', 'asyncEnd']);
  expect(seen.at(-1)?.[1].result?.attempts).toHaveLength(2);
});

test('nothing is built or published while nobody subscribes', () => {
  let snapshots = 0;
  const tracer = new ExecutionTracer(() => {
    snapshots++;
    return undefined;
  });
  const started: StartedEvent = {
    type: 'started',
    executionId: 'x',
    seq: 1,
    timestamp: 0,
    pid: 1,
    attempt: 1,
    command: { file: 'true', args: [] },
  };
  tracer.observe(started);
  expect(snapshots).toBe(0);
  subscribe();
  tracer.observe(started);
  expect(snapshots).toBe(1);
});

test('an execution that started before anyone subscribed is not ended on the channel', async () => {
  const engine = createEngine();
  const started = new Promise<void>((resolve) => engine.once('started', () => resolve()));
  const id = await engine.execute({ command: exec('sleep', ['0.3']) });
  await started;
  const seen = subscribe();
  await engine.waitForCompletion(id);
  expect(seen).toEqual([]);
});
