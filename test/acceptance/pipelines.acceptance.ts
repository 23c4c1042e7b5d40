// Acceptance suite of ORCHESTRATION.md, section "Pipelines" (with "Outputs between steps"),
// written from the spec alone and run against the built package (vitest.acceptance.config.ts).
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ExecutionEngine,
  ExecutionNotFoundError,
  exec,
  InvalidRequestError,
  type PipelineEvent,
  PipelineFailedError,
  type PipelineSpec,
  shell,
} from 'execution-engine';
import { afterEach, describe, expect, test } from 'vitest';

const engines: ExecutionEngine[] = [];
const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(engines.splice(0).map((engine) => engine.shutdown({ graceMs: 0 })));
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function engine(config: ConstructorParameters<typeof ExecutionEngine>[0] = {}): ExecutionEngine {
  const made = new ExecutionEngine({ killGraceMs: 200, ...config });
  engines.push(made);
  return made;
}
const sh = (command: string) => ({ command: shell(command) });

describe('startPipeline validation: InvalidRequestError, nothing registered', () => {
  test.each<[string, PipelineSpec, RegExp | undefined]>([
    [
      'duplicate keys',
      {
        steps: [
          { key: 'a', request: sh('true') },
          { key: 'a', request: sh('true') },
        ],
      },
      undefined,
    ],
    ['an unknown dependency', { steps: [{ key: 'a', request: sh('true'), dependsOn: ['x'] }] }, undefined],
    [
      'a cycle, named',
      {
        steps: [
          { key: 'a', request: sh('true'), dependsOn: ['c'] },
          { key: 'b', request: sh('true'), dependsOn: ['a'] },
          { key: 'c', request: sh('true'), dependsOn: ['b'] },
        ],
      },
      /a → b → c → a|b → c → a → b|c → a → b → c/,
    ],
    [
      'a placeholder naming a step that is not a dependency',
      {
        steps: [
          { key: 'a', request: sh('true') },
          { key: 'b', request: { command: shell('true'), env: { X: '${{ steps.a.outputs.v }}' } } },
        ],
      },
      undefined,
    ],
    [
      'a placeholder naming an unknown step',
      { steps: [{ key: 'b', request: { command: shell('true'), env: { X: '${{ steps.zz.outputs.v }}' } } }] },
      undefined,
    ],
  ])('%s', async (_name, spec, message) => {
    const e = engine();
    const error = await e.startPipeline(spec).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect((error as InvalidRequestError).code).toBe('INVALID_REQUEST');
    if (message !== undefined) expect((error as Error).message).toMatch(message);
    expect(e.listPipelines()).toEqual([]);
    expect(e.list()).toEqual([]);
  });
});

describe('running', () => {
  test('startPipeline resolves with the id at once; steps run after their dependencies; ids <pipelineId>.<key>', async () => {
    const e = engine({ maxConcurrentExecutions: 4 });
    const id = await e.startPipeline({
      id: 'acc',
      steps: [
        { key: 'a', request: sh('sleep 0.1') },
        { key: 'b', request: sh('true'), dependsOn: ['a'] },
        { key: 'c', request: sh('true'), dependsOn: ['a'] },
        { key: 'd', request: sh('true'), dependsOn: ['b', 'c'] },
      ],
    });
    expect(id).toBe('acc');
    expect(e.getPipeline(id).status).toBe('running');
    const result = await e.waitForPipeline(id);
    expect(result).toMatchObject({ id: 'acc', status: 'completed', success: true, progress: 1 });
    const { a, b, c, d } = result.results;
    expect(a!.id).toBe('acc.a');
    expect(a!.pipeline).toEqual({ id: 'acc', step: 'a' });
    for (const later of [b!, c!])
      expect(later.startedAt!.getTime()).toBeGreaterThanOrEqual(a!.completedAt.getTime());
    expect(d!.startedAt!.getTime()).toBeGreaterThanOrEqual(
      Math.max(b!.completedAt.getTime(), c!.completedAt.getTime()),
    );
    expect(result.steps.map((s) => s.dependsOn)).toEqual([[], ['a'], ['a'], ['b', 'c']]);
    expect(result.summary).toEqual({
      total: 4,
      pending: 0,
      queued: 0,
      running: 0,
      completed: 4,
      failed: 0,
      timeout: 0,
      cancelled: 0,
      skipped: 0,
    });
  });

  test("'fail' with failFast: pending skipped, running cancelled with reason 'pipeline failed'; runPipeline rejects", async () => {
    const e = engine({ maxConcurrentExecutions: 4 });
    const reasons: (string | undefined)[] = [];
    e.on('cancelled', (event) => reasons.push(event.reason));
    const error = await e
      .runPipeline({
        steps: [
          { key: 'long', request: { command: exec('sleep', ['20']) } },
          { key: 'bad', request: sh('exit 1') },
          { key: 'next', request: sh('true'), dependsOn: ['bad'] },
        ],
      })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(PipelineFailedError);
    expect((error as PipelineFailedError).code).toBe('PIPELINE_FAILED');
    const { result } = error as PipelineFailedError;
    expect(result.status).toBe('failed');
    expect(Object.fromEntries(result.steps.map((s) => [s.key, s.status]))).toEqual({
      long: 'cancelled',
      bad: 'completed',
      next: 'skipped',
    });
    expect(reasons).toEqual(['pipeline failed']);
  });

  test("'continue' and 'skipDependents'", async () => {
    const e = engine();
    const result = await e.waitForPipeline(
      await e.startPipeline({
        steps: [
          { key: 'p1', request: sh('exit 1'), onFailure: 'continue' },
          { key: 'p2', request: sh('true'), dependsOn: ['p1'] },
          { key: 's', request: sh('exit 1'), onFailure: 'skipDependents' },
          { key: 's1', request: sh('true'), dependsOn: ['s'] },
          { key: 's2', request: sh('true'), dependsOn: ['s1'] },
        ],
      }),
    );
    expect(result.status).toBe('completed');
    expect(result.success).toBe(false);
    expect(Object.fromEntries(result.steps.map((s) => [s.key, s.status]))).toEqual({
      p1: 'completed',
      p2: 'completed',
      s: 'completed',
      s1: 'skipped',
      s2: 'skipped',
    });
  });

  test('cancelPipeline; unknown ids are ExecutionNotFoundError', async () => {
    const e = engine();
    const id = await e.startPipeline({
      steps: [
        { key: 'a', request: { command: exec('sleep', ['20']) } },
        { key: 'b', request: sh('true'), dependsOn: ['a'] },
      ],
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await e.cancelPipeline(id)).toBe(true);
    expect(e.getPipeline(id).status).toBe('cancelled');
    expect(e.getPipeline(id).steps.map((s) => s.status)).toEqual(['cancelled', 'skipped']);
    expect(() => e.getPipeline('missing')).toThrow(ExecutionNotFoundError);
  });

  test('pipeline events: one per step change and a final one; subscribePipeline replays them', async () => {
    const e = engine();
    const events: PipelineEvent[] = [];
    e.on('pipeline', (event) => events.push(event));
    const id = await e.startPipeline({ steps: [{ key: 'only', request: sh('true') }] });
    await e.waitForPipeline(id);
    expect(events.at(-1)).toMatchObject({ type: 'pipeline', pipelineId: id, status: 'completed' });
    expect(events.at(-1)!.step).toBeUndefined();
    expect(events.some((event) => event.step?.key === 'only' && event.step.status === 'completed')).toBe(
      true,
    );
    const replay: PipelineEvent[] = [];
    for await (const event of e.subscribePipeline(id)) replay.push(event);
    expect(replay).toEqual(events);
  });
});

describe('outputs between steps', () => {
  test('EXECUTION_OUTPUT becomes result.outputs; the file is removed; stdout markers set nothing', async () => {
    const e = engine();
    const result = await e.run({
      command: shell(
        'echo "$EXECUTION_OUTPUT"; echo "a=1" >> "$EXECUTION_OUTPUT"; printf "m<<X\\nl1\\nl2\\nX\\n" >> "$EXECUTION_OUTPUT"; echo "b=2"',
      ),
    });
    expect(result.outputs).toEqual({ a: '1', m: 'l1\nl2' });
    expect(existsSync(result.stdout.split('\n')[0]!)).toBe(false);
  });

  test('function steps and env placeholders; shell syntax in an output is never executed', async () => {
    const e = engine();
    const dir = mkdtempSync(join(tmpdir(), 'acceptance-'));
    dirs.push(dir);
    const marker = join(dir, 'injected');
    const value = `$(touch ${marker}); \`touch ${marker}\``;
    const result = await e.runPipeline({
      steps: [
        {
          key: 'make',
          request: { command: exec('sh', ['-c', 'echo "v=$0" >> "$EXECUTION_OUTPUT"', value]) },
        },
        {
          key: 'use',
          dependsOn: ['make'],
          request: { command: shell('echo "$V"'), env: { V: '${{ steps.make.outputs.v }}' } },
        },
        {
          key: 'fn',
          dependsOn: ['make'],
          request: (ctx) => ({ command: exec('echo', [ctx.outputs.make!.v!]) }),
        },
      ],
    });
    expect(result.results.use!.stdout).toBe(value);
    expect(result.results.fn!.stdout).toBe(value);
    expect(existsSync(marker)).toBe(false);
  });
});
