import { afterEach, describe, expect, it } from 'vitest';
import {
  CommandFailedError,
  type EngineClient,
  ExecutionNotFoundError,
  InvalidRequestError,
  isExecutionError,
} from '../../src/client/index.js';
import { type BatchedEvent, type ExecutionEvent, exec } from '../../src/index.js';
import { fixture, node } from '../helpers/fixtures.js';

/** The engine's methods as every remote surface offers them; the engine itself fits. */
export type EngineApi = EngineClient;

/** A fresh engine reached one way; `close` releases it (and whatever it runs). */
export interface ApiFactory {
  open(): Promise<{ api: EngineApi; close: () => Promise<void> }>;
  /** True when terminal events arrive without `stdout`/`stderr` (over the wire). */
  remote: boolean;
}

const lines = (n: number) => exec(node, [fixture('print-lines.js'), String(n)]);
const waiting = () => exec(node, [fixture('print-then-wait.js'), '2']);
const expected = (n: number) => Array.from({ length: n }, (_, i) => `line ${i + 1}`);
/** Runs `call`, a sync throw included, as a promise. */
const attempt = async <T>(call: () => T | Promise<T>): Promise<T> => call();
const failure = (call: () => unknown) =>
  attempt(call).then(
    () => undefined,
    (error: unknown) => error,
  );

async function collect<T>(events: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const event of events) all.push(event);
  return all;
}

async function started(api: EngineApi, id: string): Promise<void> {
  for await (const event of api.subscribe(id)) if (event.type === 'started') return;
}

/**
 * One suite for every way to reach an engine: the engine itself, EngineClient over HTTP, over
 * the stdio sidecar, over a MessagePort. Same calls, same results, same error classes.
 */
export function engineApiConformance(name: string, factory: ApiFactory): void {
  describe(`engine API conformance: ${name}`, () => {
    const opened: (() => Promise<void>)[] = [];
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((close) => close()));
    });
    const open = async () => {
      const { api, close } = await factory.open();
      opened.push(close);
      return api;
    };

    it('executes, waits, reads results, snapshots, lists and counts', async () => {
      const api = await open();
      const id = await api.execute({ command: lines(3) });
      const result = await api.waitForCompletion(id);
      expect(result).toMatchObject({ id, status: 'completed', success: true, exitCode: 0 });
      expect(result.stdout).toBe('line 1\nline 2\nline 3');
      expect(result.completedAt).toBeInstanceOf(Date);
      const snapshot = await api.getExecution(id);
      expect(snapshot.createdAt).toBeInstanceOf(Date);
      expect(snapshot.status).toBe('completed');
      expect((await api.getResult(id))?.exitCode).toBe(0);
      expect((await api.list({ status: 'completed' })).map((s) => s.id)).toContain(id);
      expect((await api.stats()).completed).toBeGreaterThanOrEqual(1);
      expect((await api.run({ command: lines(1) })).stdout).toBe('line 1');
      expect(await attempt(() => api.removeExecution(id))).toBe(true);
      expect(await attempt(() => api.removeExecution(id))).toBe(false);
    });

    it('answers errors as the same classes, with their fields', async () => {
      const api = await open();
      const missing = await failure(() => api.getExecution('nope'));
      expect(missing).toBeInstanceOf(ExecutionNotFoundError);
      expect(isExecutionError(missing)).toBe(true);
      expect(missing).toMatchObject({ code: 'EXECUTION_NOT_FOUND', executionId: 'nope' });
      const invalid = await failure(() => api.execute({ command: lines(1), timeoutMs: -1 }));
      expect(invalid).toBeInstanceOf(InvalidRequestError);
      expect(invalid).toMatchObject({ code: 'INVALID_REQUEST', field: 'timeoutMs' });
      expect((invalid as Error).message).toMatch(/^Expected `timeoutMs` to be .*got `-1` \(number\)/);
      const failed = await failure(() => api.run({ command: exec(node, [fixture('exit-with.js'), '3']) }));
      expect(failed).toBeInstanceOf(CommandFailedError);
      expect((failed as CommandFailedError).result.exitCode).toBe(3);
      const live = await api.execute({ command: waiting() });
      const timedOut = await failure(() => api.waitForCompletion(live, { timeoutMs: 200 }));
      expect(timedOut).toMatchObject({ code: 'WAIT_TIMEOUT' });
      expect(await failure(() => api.removeExecution(live))).toBeInstanceOf(InvalidRequestError);
      const lost = await failure(() => collect(api.subscribe('nope')));
      expect(lost).toBeInstanceOf(ExecutionNotFoundError);
      expect(await api.cancel(live)).toBe(true);
    });

    it('subscribes: replay then live to the terminal event; afterSeq resumes with no gap or duplicate', async () => {
      const api = await open();
      const id = await api.execute({ command: lines(5) });
      const events: ExecutionEvent[] = await collect(api.subscribe(id));
      const types = events.map((event) => event.type);
      expect(types.at(-1)).toBe('completed');
      expect(events.filter((e) => e.type === 'stdout').map((e) => (e as { line: string }).line)).toEqual(
        expected(5),
      );
      const seqs = events.map((event) => event.seq);
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
      const terminal = events.at(-1) as { result: { stdout?: string; exitCode: number } };
      expect(terminal.result.exitCode).toBe(0);
      if (factory.remote) expect(terminal.result.stdout).toBeUndefined();
      const cut = events[2]!.seq;
      const resumed = await collect(api.subscribe(id, { afterSeq: cut }));
      expect(resumed.map((event) => event.seq)).toEqual(seqs.filter((seq) => seq > cut));
    });

    it('delivers 50,000 lines as batches, in order, and live lines of a running process', async () => {
      const api = await open();
      const id = await api.execute({ command: lines(50_000) });
      const got: string[] = [];
      let last: BatchedEvent | undefined;
      for await (const event of api.subscribe(id, { lines: 'batched' })) {
        if (event.type === 'output') got.push(...event.lines);
        last = event;
      }
      expect(got).toEqual(expected(50_000));
      expect(last?.type).toBe('completed');
      const running = await api.execute({ command: waiting() });
      const seen: string[] = [];
      for await (const event of api.subscribe(running)) {
        if (event.type === 'stdout') seen.push(event.line);
        if (seen.length === 2) break; // breaking out releases the subscription
      }
      expect(seen).toEqual(['line 1', 'line 2']);
      expect(await api.cancel(running, 'enough')).toBe(true);
      expect((await api.waitForCompletion(running)).status).toBe('cancelled');
      expect(await api.cancel(running)).toBe(false);
    });

    it('writes input as text and bytes, then closes it', async () => {
      const api = await open();
      const id = await api.execute({ command: exec('sort'), stdin: 'pipe' });
      await started(api, id);
      await api.writeInput(id, 'b\n');
      await api.writeInput(id, new TextEncoder().encode('a\nc\n'));
      await api.closeInput(id);
      expect((await api.waitForCompletion(id)).stdout).toBe('a\nb\nc');
      const closed = await failure(() => api.writeInput(id, 'late'));
      expect(closed).toBeInstanceOf(InvalidRequestError);
    });

    it("on() receives every execution's events of a type, live", async () => {
      const api = await open();
      const completed = new Set<string>();
      api.on('completed', (event) => completed.add(event.executionId));
      // Nothing tells when a remote listener is live: run commands until one is seen.
      const ran: string[] = [];
      for (let i = 0; i < 50 && completed.size === 0; i++) {
        const id = await api.execute({ command: lines(1) });
        ran.push(id);
        await api.waitForCompletion(id);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(completed.size).toBeGreaterThan(0);
      const id = await api.execute({ command: lines(1) });
      await api.waitForCompletion(id);
      await expect.poll(() => completed.has(id)).toBe(true);
      expect([...completed].every((seen) => [...ran, id].includes(seen))).toBe(true);
    });

    it('starts, follows, waits for, lists and cancels pipelines', async () => {
      const api = await open();
      const id = await api.startPipeline({
        steps: [
          { key: 'a', request: { command: lines(1) } },
          { key: 'b', dependsOn: ['a'], request: { command: lines(2) } },
        ],
      });
      const result = await api.waitForPipeline(id);
      expect(result).toMatchObject({ id, status: 'completed', success: true });
      expect(result.results.b?.stdout).toBe('line 1\nline 2');
      expect((await api.getPipeline(id)).status).toBe('completed');
      expect((await api.listPipelines()).map((p) => p.id)).toContain(id);
      const events = await collect(api.subscribePipeline(id));
      const final = events.at(-1)!;
      expect(final).toMatchObject({ type: 'pipeline', status: 'completed' });
      expect(final.step).toBeUndefined();
      if (factory.remote) {
        // The client's own option (the engine's subscribePipeline replays everything).
        const resumed = await collect(api.subscribePipeline(id, { afterSeq: events[0]!.seq }));
        expect(resumed.map((e) => e.seq)).toEqual(events.slice(1).map((e) => e.seq));
      }
      const slow = await api.startPipeline({ steps: [{ key: 'wait', request: { command: waiting() } }] });
      expect(await api.cancelPipeline(slow)).toBe(true);
      expect((await api.waitForPipeline(slow)).status).toBe('cancelled');
      expect(await failure(() => api.getPipeline('nope'))).toBeInstanceOf(ExecutionNotFoundError);
    });
  });
}
