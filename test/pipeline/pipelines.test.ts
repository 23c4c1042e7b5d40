import { describe, expect, test } from 'vitest';
import {
  exec,
  type PipelineEvent,
  PipelineFailedError,
  type PipelineStep,
  shell,
  WaitTimeoutError,
} from '../../src/index.js';
import { createEngine } from '../helpers/engine.js';

const ok = (command = 'true') => ({ command: shell(command) });
const sleepy = { command: exec('sleep', ['30']) };

describe('running steps when their dependencies end', () => {
  test('a diamond runs a first, b and c together, d after both', async () => {
    const engine = createEngine({ maxConcurrentExecutions: 4 });
    const starts: string[] = [];
    const ends: string[] = [];
    engine.on('started', (event) => starts.push(event.pipeline!.step));
    engine.on('completed', (event) => ends.push(event.pipeline!.step));
    const result = await engine.runPipeline({
      id: 'diamond',
      steps: [
        { key: 'a', request: ok('sleep 0.1') },
        { key: 'b', request: ok('sleep 0.2'), dependsOn: ['a'] },
        { key: 'c', request: ok('sleep 0.2'), dependsOn: ['a'] },
        { key: 'd', request: ok(), dependsOn: ['b', 'c'] },
      ],
    });
    expect(result).toMatchObject({ status: 'completed', success: true, progress: 1 });
    expect(starts[0]).toBe('a');
    expect(starts.slice(1, 3).sort()).toEqual(['b', 'c']);
    expect(starts[3]).toBe('d');
    // d started only after both b and c had ended.
    expect(ends.indexOf('b')).toBeLessThan(ends.indexOf('d'));
    expect(ends.indexOf('c')).toBeLessThan(ends.indexOf('d'));
    // b and c overlapped: c started before b ended.
    expect(result.results.c!.startedAt!.getTime()).toBeLessThan(result.results.b!.completedAt.getTime());
  });

  test('step executions have the id <pipelineId>.<key> and carry pipeline on snapshots, results and events', async () => {
    const engine = createEngine();
    const events: PipelineEvent[] = [];
    const stdout: unknown[] = [];
    engine.on('pipeline', (event) => events.push(event));
    engine.on('stdout', (event) => stdout.push(event.pipeline));
    const id = await engine.startPipeline({ id: 'p', steps: [{ key: 'hello', request: ok('echo hi') }] });
    expect(id).toBe('p');
    expect(engine.getExecution('p.hello').pipeline).toEqual({ id: 'p', step: 'hello' });
    const result = await engine.waitForPipeline('p');
    expect(result.results.hello).toMatchObject({
      id: 'p.hello',
      stdout: 'hi',
      pipeline: { id: 'p', step: 'hello' },
    });
    expect(stdout).toEqual([{ id: 'p', step: 'hello' }]);
    const replayed = [];
    for await (const event of engine.subscribe('p.hello')) replayed.push(event);
    expect(replayed.every((event) => event.pipeline?.step === 'hello')).toBe(true);
  });

  test('steps obey admission: the global limit and their group', async () => {
    const engine = createEngine({ maxConcurrentExecutions: 3, groups: { slow: { maxConcurrent: 1 } } });
    let running = 0;
    let most = 0;
    engine.on('started', () => {
      running++;
      most = Math.max(most, running);
    });
    for (const type of ['completed', 'failed'] as const) engine.on(type, () => running--);
    const steps: PipelineStep[] = ['a', 'b', 'c', 'd'].map((key) => ({
      key,
      request: { command: shell('sleep 0.1'), group: 'slow' },
    }));
    await engine.runPipeline({ steps });
    expect(most).toBe(1);
  });

  test('a function step gets the results and outputs of the steps that ended', async () => {
    const engine = createEngine();
    const result = await engine.runPipeline({
      steps: [
        { key: 'build', request: ok('echo "version=1.2.3" >> "$EXECUTION_OUTPUT"; echo built') },
        {
          key: 'deploy',
          dependsOn: ['build'],
          request: (ctx) => ({
            command: exec('echo', [ctx.outputs.build!.version!, ctx.results.build!.stdout, ctx.pipelineId]),
          }),
        },
      ],
    });
    expect(result.results.deploy!.stdout).toBe(`1.2.3 built ${result.id}`);
  });

  test('a function step that throws fails the step with its message, without an execution', async () => {
    const engine = createEngine();
    const error = await engine
      .runPipeline({
        steps: [
          {
            key: 'broken',
            request: () => {
              throw new Error('no config');
            },
          },
        ],
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PipelineFailedError);
    const { result } = error as PipelineFailedError;
    expect(result.status).toBe('failed');
    expect(result.steps[0]).toMatchObject({
      status: 'failed',
      error: { code: 'FAILED', message: 'no config' },
    });
    expect(result.steps[0]!.executionId).toBeUndefined();
  });
});

describe('failure policies', () => {
  test("'fail' fails the pipeline, skips pending steps and (failFast) cancels running ones", async () => {
    const engine = createEngine({ maxConcurrentExecutions: 4 });
    const error = await engine
      .runPipeline({
        id: 'ff',
        steps: [
          { key: 'slow', request: sleepy },
          { key: 'bad', request: ok('sleep 0.1; exit 2') },
          { key: 'after', request: ok(), dependsOn: ['bad'] },
        ],
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PipelineFailedError);
    expect((error as PipelineFailedError).code).toBe('PIPELINE_FAILED');
    const { result } = error as PipelineFailedError;
    expect(result.status).toBe('failed');
    expect(result.steps.map((s) => s.status)).toEqual(['cancelled', 'completed', 'skipped']);
    const cancelled = engine.list().find((e) => e.id === 'ff.slow');
    expect(cancelled?.status).toBe('cancelled');
    expect(result.summary).toMatchObject({ total: 3, cancelled: 1, completed: 1, skipped: 1 });
  });

  test('with failFast false, running steps finish after a failure; pending ones are skipped', async () => {
    const engine = createEngine({ maxConcurrentExecutions: 4 });
    const result = await engine
      .runPipeline({
        failFast: false,
        steps: [
          { key: 'slow', request: ok('sleep 0.4') },
          { key: 'bad', request: ok('exit 1') },
          { key: 'after', request: ok(), dependsOn: ['bad'] },
        ],
      })
      .catch((e: PipelineFailedError) => e.result);
    expect(result.status).toBe('failed');
    expect(result.results.slow).toMatchObject({ status: 'completed', success: true });
    expect(result.steps.find((s) => s.key === 'after')?.status).toBe('skipped');
  });

  test("'continue' lets dependents run as if it had succeeded; the pipeline completes without success", async () => {
    const engine = createEngine();
    const result = await engine
      .runPipeline({
        steps: [
          { key: 'phase1', request: ok('exit 3'), onFailure: 'continue' },
          { key: 'phase2', request: ok('echo ran'), dependsOn: ['phase1'] },
        ],
      })
      .catch((e: PipelineFailedError) => e.result);
    expect(result.status).toBe('completed');
    expect(result.success).toBe(false);
    expect(result.results.phase1!.exitCode).toBe(3);
    expect(result.results.phase2!.stdout).toBe('ran');
  });

  test("'skipDependents' skips its dependents transitively; independent steps go on", async () => {
    const engine = createEngine();
    const result = await engine
      .runPipeline({
        steps: [
          { key: 'a', request: ok('exit 1'), onFailure: 'skipDependents' },
          { key: 'b', request: ok(), dependsOn: ['a'] },
          { key: 'c', request: ok(), dependsOn: ['b'] },
          { key: 'other', request: ok('echo fine') },
        ],
      })
      .catch((e: PipelineFailedError) => e.result);
    expect(result.status).toBe('completed');
    expect(result.success).toBe(false);
    expect(Object.fromEntries(result.steps.map((s) => [s.key, s.status]))).toEqual({
      a: 'completed',
      b: 'skipped',
      c: 'skipped',
      other: 'completed',
    });
    expect(result.results.other!.stdout).toBe('fine');
  });
});

describe('cancel, wait, snapshots and events', () => {
  test('cancelPipeline cancels running steps, skips pending ones and resolves true once cancelled', async () => {
    const engine = createEngine();
    const running = new Promise<void>((resolve) =>
      engine.on('pipeline', (event) => event.step?.status === 'running' && resolve()),
    );
    const id = await engine.startPipeline({
      steps: [
        { key: 'run', request: sleepy },
        { key: 'next', request: ok(), dependsOn: ['run'] },
      ],
    });
    await running;
    expect(await engine.cancelPipeline(id, 'stop')).toBe(true);
    const snapshot = engine.getPipeline(id);
    expect(snapshot.status).toBe('cancelled');
    expect(snapshot.steps.map((s) => s.status)).toEqual(['cancelled', 'skipped']);
    expect(await engine.cancelPipeline(id)).toBe(false);
  });

  test('the snapshot aggregates steps, dependencies, counts and progress while it runs', async () => {
    const engine = createEngine();
    const id = await engine.startPipeline({
      metadata: { project: 'x' },
      steps: [
        { key: 'quick', request: ok() },
        { key: 'long', request: sleepy },
        { key: 'last', request: ok(), dependsOn: ['quick', 'long'] },
      ],
    });
    await engine.waitForCompletion(`${id}.quick`);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const snapshot = engine.getPipeline(id);
    expect(snapshot).toMatchObject({ id, status: 'running', metadata: { project: 'x' } });
    expect(snapshot.startedAt).toBeInstanceOf(Date);
    expect(snapshot.steps).toEqual([
      { key: 'quick', status: 'completed', dependsOn: [], onFailure: 'fail', executionId: `${id}.quick` },
      { key: 'long', status: 'running', dependsOn: [], onFailure: 'fail', executionId: `${id}.long` },
      { key: 'last', status: 'pending', dependsOn: ['quick', 'long'], onFailure: 'fail' },
    ]);
    expect(snapshot.summary).toEqual({
      total: 3,
      pending: 1,
      queued: 0,
      running: 1,
      completed: 1,
      failed: 0,
      timeout: 0,
      cancelled: 0,
      skipped: 0,
    });
    expect(snapshot.progress).toBeCloseTo(1 / 3);
    expect(engine.listPipelines({ status: 'running' }).map((p) => p.id)).toEqual([id]);
    await expect(engine.waitForPipeline(id, { timeoutMs: 50 })).rejects.toBeInstanceOf(WaitTimeoutError);
    await engine.cancelPipeline(id);
  });

  test('a pipeline event at every step change and one at the end; subscribePipeline replays them all', async () => {
    const engine = createEngine();
    const live: PipelineEvent[] = [];
    engine.on('pipeline', (event) => live.push(event));
    const id = await engine.startPipeline({
      steps: [
        { key: 'a', request: ok() },
        { key: 'b', request: ok(), dependsOn: ['a'] },
      ],
    });
    await engine.waitForPipeline(id);
    expect(live.map((e) => (e.step === undefined ? e.status : `${e.step.key}:${e.step.status}`))).toEqual([
      'a:running',
      'a:completed',
      'b:running',
      'b:completed',
      'completed',
    ]);
    expect(live.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(live.at(-1)?.summary.completed).toBe(2);
    const replayed: PipelineEvent[] = [];
    for await (const event of engine.subscribePipeline(id)) replayed.push(event);
    expect(replayed).toEqual(live);
  });

  test('a throwing pipeline listener is reported on handlerError and the pipeline goes on', async () => {
    const engine = createEngine();
    const reported: unknown[] = [];
    engine.on('handlerError', (error) => reported.push(error));
    engine.on('pipeline', () => {
      throw new Error('listener bug');
    });
    const result = await engine.runPipeline({ steps: [{ key: 'a', request: ok() }] });
    expect(result.success).toBe(true);
    expect(reported.length).toBeGreaterThan(0);
  });

  test('unknown pipeline ids are ExecutionNotFoundError', async () => {
    const engine = createEngine();
    expect(() => engine.getPipeline('nope')).toThrow(
      expect.objectContaining({ code: 'EXECUTION_NOT_FOUND' }),
    );
    await expect(engine.waitForPipeline('nope')).rejects.toMatchObject({ code: 'EXECUTION_NOT_FOUND' });
    await expect(engine.cancelPipeline('nope')).rejects.toMatchObject({ code: 'EXECUTION_NOT_FOUND' });
  });
});
