import { describe, expect, test } from 'vitest';
import {
  type ExecutionConfig,
  type ExecutionEngine,
  type ExecutionEvent,
  exec,
  isTerminalEvent,
  type OutputEvent,
  type PipelineEvent,
  type ProgressEvent,
  type ProgressParser,
} from '../../src/index.js';
import { createEngine } from '../helpers/engine.js';
import { fixture, node } from '../helpers/fixtures.js';

/** `progress-lines.js <kind> <count> [pauseMs] [stream] [holdMs]` (see the fixture). */
const progressLines = (...args: string[]) => exec(node, [fixture('progress-lines.js'), ...args]);
const printArgs = (...lines: string[]) => exec(node, [fixture('print-args.js'), ...lines]);

/** An engine that records every event (but `output` batches) in order. */
function recordingEngine(config: Partial<ExecutionConfig> = {}) {
  const engine: ExecutionEngine = createEngine(config);
  const events: ExecutionEvent[] = [];
  engine.on('event', (event) => events.push(event));
  const progress = () => events.filter((event): event is ProgressEvent => event.type === 'progress');
  return { engine, events, progress };
}

describe('the presets read progress from real output', () => {
  test("'percent' reads a progress bar redrawn with a lone \\r; the bar stays in the output", async () => {
    const { engine, progress } = recordingEngine({ progressIntervalMs: 0 });
    const result = await engine.run({ command: progressLines('bar', '5', '20'), progress: 'percent' });
    expect(progress().map((event) => event.progress)).toEqual(
      [20, 40, 60, 80, 100].map((percent) => ({ percent })),
    );
    expect(result.progress).toEqual({ percent: 100 });
    expect(result.stdout.split('\n')).toEqual([
      '[##        ] 20%',
      '[####      ] 40%',
      '[######    ] 60%',
      '[########  ] 80%',
      '[##########] 100%',
      'done',
    ]);
  });

  test("'fraction' reads `[n/m]` lines and derives percent; a date line later is not read", async () => {
    const { engine, progress } = recordingEngine({ progressIntervalMs: 0 });
    const result = await engine.run({
      command: printArgs('[1/4] fetch', '[3/4] build', 'built on 12/31/2024'),
      progress: 'fraction',
    });
    expect(progress().at(-1)?.progress).toEqual({ percent: 75, current: 3, total: 4 });
    expect(result.progress).toEqual({ percent: 75, current: 3, total: 4 });
  });

  test("'json' reads JSON object lines between plain log lines, with their message", async () => {
    const { engine, progress } = recordingEngine();
    const result = await engine.run({ command: progressLines('json', '4'), progress: 'json' });
    expect(progress().at(-1)?.progress).toEqual({ percent: 100, current: 4, total: 4, message: 'item 4' });
    expect(result.progress).toEqual({ percent: 100, current: 4, total: 4, message: 'item 4' });
    expect(result.stdout).toContain('log 1\n{"current":1,"total":4,"message":"item 1"}\nlog 2');
  });

  test('stderr is read too, and without streamOutput (no line events) progress still works', async () => {
    const { engine, events, progress } = recordingEngine({ streamOutput: false, progressIntervalMs: 0 });
    const result = await engine.run({
      command: progressLines('fraction', '3', '10', 'stderr'),
      progress: 'fraction',
    });
    expect(events.some((event) => event.type === 'stderr' || event.type === 'stdout')).toBe(false);
    // One progress event per read at most: lines that arrive together give their latest only.
    const currents = progress().map((event) => event.progress.current);
    expect(currents.at(-1)).toBe(3);
    expect(
      currents.every(
        (current, i) => [1, 2, 3].includes(current!) && (i === 0 || current! > currents[i - 1]!),
      ),
    ).toBe(true);
    expect(result.stderr).toBe('[1/3] step 1\n[2/3] step 2\n[3/3] step 3\ndone');
  });

  test('a custom parser gets each line with its stream; percent is derived from current/total', async () => {
    const seen: [string, string][] = [];
    const parser: ProgressParser = (line, stream) => {
      seen.push([line, stream]);
      const match = /^\[(\d+)\/(\d+)\]/.exec(line);
      return match ? { current: Number(match[1]), total: Number(match[2]), message: line } : undefined;
    };
    const { engine, progress } = recordingEngine();
    const result = await engine.run({
      command: progressLines('fraction', '2', '0', 'stderr'),
      progress: parser,
    });
    expect(seen).toEqual([
      ['[1/2] step 1', 'stderr'],
      ['[2/2] step 2', 'stderr'],
      ['done', 'stderr'],
    ]);
    expect(progress().at(-1)?.progress).toEqual({
      percent: 100,
      current: 2,
      total: 2,
      message: '[2/2] step 2',
    });
    expect(result.progress).toEqual({ percent: 100, current: 2, total: 2, message: '[2/2] step 2' });
  });

  test('an execution without progress has no progress events and no progress field', async () => {
    const { engine, progress } = recordingEngine();
    const result = await engine.run({ command: progressLines('bar', '3') });
    expect(progress()).toEqual([]);
    expect(result).not.toHaveProperty('progress');
  });
});

describe('progress events are throttled', () => {
  test('a burst of 100 updates gives the first and the latest only, the latest right before the terminal event', async () => {
    const { engine, events, progress } = recordingEngine({ progressIntervalMs: 60_000 });
    await engine.run({ command: progressLines('bar', '100', '2'), progress: 'percent' });
    const updates = progress();
    expect(updates.length).toBeGreaterThanOrEqual(1);
    expect(updates.length).toBeLessThanOrEqual(2);
    const last = updates.at(-1)!;
    expect(last.progress).toEqual({ percent: 100 });
    // The last update comes after every line (`done` included) and just before the terminal event.
    const terminal = events.at(-1)!;
    expect(isTerminalEvent(terminal)).toBe(true);
    expect(last.seq).toBe(terminal.seq - 1);
  });

  test('steady updates for ~600 ms give about one event per progressIntervalMs, spaced by at least it', async () => {
    const { engine, events, progress } = recordingEngine({ progressIntervalMs: 100 });
    await engine.run({ command: progressLines('bar', '60', '10'), progress: 'percent' });
    const started = events.find((event) => event.type === 'started')!.timestamp;
    const ended = events.at(-1)!.timestamp;
    const updates = progress();
    // At most one per 100 ms (+ the leading one and the final flush); well more than one.
    expect(updates.length).toBeGreaterThanOrEqual(3);
    expect(updates.length).toBeLessThanOrEqual(Math.ceil((ended - started) / 100) + 2);
    for (let i = 1; i < updates.length - 1; i++) {
      // Every event but the first and the final flush waited for the interval since the previous one.
      expect(updates[i]!.timestamp - updates[i - 1]!.timestamp).toBeGreaterThanOrEqual(90);
    }
    expect(updates.at(-1)!.progress).toEqual({ percent: 100 });
  });

  test('progressIntervalMs 0 sends every new update; repeats of the same value are not sent again', async () => {
    const { engine, progress } = recordingEngine({ progressIntervalMs: 0 });
    // Each line a chunk of its own, 30 ms apart.
    const lines = ['10%', '10%', 'x', '10%', '20%'].map(
      (line) => `out:${Buffer.from(`${line}\n`).toString('hex')}`,
    );
    await engine.run({
      command: exec(node, [fixture('write-chunks.js'), '30', ...lines]),
      progress: 'percent',
    });
    expect(progress().map((event) => event.progress.percent)).toEqual([10, 20]);
    const { engine: paced, progress: pacedProgress } = recordingEngine({ progressIntervalMs: 0 });
    await paced.run({ command: progressLines('bar', '4', '30'), progress: 'percent' });
    expect(pacedProgress().map((event) => event.progress.percent)).toEqual([25, 50, 75, 100]);
  });

  test('a progress event never falls inside an output batch: batches keep line i = seq + i', async () => {
    const engine = createEngine({ progressIntervalMs: 0 });
    const batches: OutputEvent[] = [];
    const progressSeqs: number[] = [];
    engine.on('output', (event) => batches.push(event));
    engine.on('progress', (event) => progressSeqs.push(event.seq));
    const result = await engine.run({ command: progressLines('bar', '50', '2'), progress: 'percent' });
    expect(progressSeqs.length).toBeGreaterThan(1);
    for (const batch of batches) {
      for (const seq of progressSeqs)
        expect(seq >= batch.seq && seq < batch.seq + batch.lines.length).toBe(false);
    }
    expect(batches.flatMap((batch) => batch.lines)).toEqual(result.stdout.split('\n'));
  });
});

describe('snapshots, results and replay carry the latest progress', () => {
  test('an update held back by the throttle goes out when the interval is over, while it runs; getExecution shows it', async () => {
    const engine = createEngine();
    const seen = new Promise<ProgressEvent>((resolve) =>
      engine.on('progress', (event) => {
        if (event.progress.percent === 100) resolve(event);
      }),
    );
    const id = await engine.execute({
      command: progressLines('bar', '4', '10', 'stdout', '60000'),
      progress: 'percent',
    });
    await seen;
    const snapshot = engine.getExecution(id);
    expect(snapshot.status).toBe('running');
    expect(snapshot.progress).toEqual({ percent: 100 });
    await engine.cancel(id);
    expect(engine.getResult(id)?.progress).toEqual({ percent: 100 });
  });

  test('a late subscriber is replayed only the latest progress event, in its place', async () => {
    const { engine, progress } = recordingEngine({ progressIntervalMs: 0 });
    const result = await engine.run({ command: progressLines('bar', '20', '3'), progress: 'percent' });
    expect(progress().length).toBeGreaterThan(1);
    const replayed: ExecutionEvent[] = [];
    for await (const event of engine.subscribe(result.id)) replayed.push(event);
    const replayedProgress = replayed.filter((event) => event.type === 'progress');
    expect(replayedProgress).toEqual([progress().at(-1)]);
    expect(replayed.map((event) => event.seq)).toEqual(
      [...replayed.map((event) => event.seq)].sort((a, b) => a - b),
    );
    const batched = [];
    for await (const event of engine.subscribe(result.id, { lines: 'batched' })) batched.push(event);
    expect(batched.filter((event) => event.type === 'progress')).toEqual([progress().at(-1)]);
  });
});

describe('a parser that throws', () => {
  test('is reported on handlerError with its line, and the execution goes on', async () => {
    const { engine, progress } = recordingEngine({ progressIntervalMs: 0 });
    const reported: [unknown, ExecutionEvent | OutputEvent | PipelineEvent][] = [];
    engine.on('handlerError', (error, event) => reported.push([error, event]));
    const parser: ProgressParser = (line) => {
      if (line === 'boom') throw new Error('cannot read boom');
      const match = /(\d+)%/.exec(line);
      return match ? { percent: Number(match[1]) } : undefined;
    };
    const result = await engine.run({ command: printArgs('10%', 'boom', '50%'), progress: parser });
    expect(result.status).toBe('completed');
    expect(result.stdout).toBe('10%\nboom\n50%');
    expect(result.progress).toEqual({ percent: 50 });
    expect(progress().at(-1)?.progress).toEqual({ percent: 50 });
    expect(reported).toHaveLength(1);
    expect((reported[0]![0] as Error).message).toBe('cannot read boom');
    expect(reported[0]![1]).toMatchObject({ type: 'stdout', line: 'boom', executionId: result.id, seq: 3 });
  });
});
