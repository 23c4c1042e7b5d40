import { afterEach, describe, expect, it } from 'vitest';
import {
  EngineClient,
  ExecutionNotFoundError,
  httpTransport,
  InvalidRequestError,
  PipelineFailedError,
  WaitTimeoutError,
} from '../../src/client/index.js';
import { exec, type PipelineEvent, shell } from '../../src/index.js';
import { createEngine } from '../helpers/engine.js';
import { startServer } from '../helpers/http.js';
import { eventually } from '../helpers/processes.js';

const clients: EngineClient[] = [];

afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
});

async function setup() {
  const engine = createEngine();
  const server = await startServer(engine);
  const client = new EngineClient(httpTransport({ url: server.url, token: server.token }));
  clients.push(client);
  return { engine, server, client };
}

describe('EngineClient pipelines over HTTP', () => {
  it('starts, follows, waits for, gets and lists a pipeline, with dates and step results revived', async () => {
    const { client } = await setup();
    const id = await client.startPipeline({
      id: 'p',
      steps: [
        { key: 'a', request: { command: shell('echo "v=7" >> "$EXECUTION_OUTPUT"') } },
        { key: 'b', request: { command: exec('true') }, dependsOn: ['a'] },
      ],
    });
    expect(id).toBe('p');
    const events: PipelineEvent[] = [];
    for await (const event of client.subscribePipeline(id)) events.push(event);
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    expect(events.at(-1)).toMatchObject({ status: 'completed', summary: { completed: 2 } });
    const resumed: number[] = [];
    for await (const event of client.subscribePipeline(id, { afterSeq: 3 })) resumed.push(event.seq);
    expect(resumed).toEqual(events.slice(3).map((e) => e.seq));
    const result = await client.waitForPipeline(id);
    expect(result).toMatchObject({ success: true, status: 'completed' });
    expect(result.completedAt).toBeInstanceOf(Date);
    expect(result.results.a!.outputs).toEqual({ v: '7' });
    expect(result.results.b!.startedAt).toBeInstanceOf(Date);
    const snapshot = await client.getPipeline(id);
    expect(snapshot.createdAt).toBeInstanceOf(Date);
    expect(snapshot.steps.map((s) => [s.key, s.status, s.dependsOn])).toEqual([
      ['a', 'completed', []],
      ['b', 'completed', ['a']],
    ]);
    expect((await client.listPipelines({ status: 'completed' })).map((p) => p.id)).toEqual(['p']);
    expect(await client.listPipelines({ status: 'running' })).toEqual([]);
  });

  it("delivers every pipeline's events to on('pipeline') listeners", async () => {
    const { client, server } = await setup();
    const seen: PipelineEvent[] = [];
    let ended!: () => void;
    const done = new Promise<void>((resolve) => {
      ended = resolve;
    });
    client.on('pipeline', (event) => {
      seen.push(event);
      if (event.step === undefined && event.status !== 'running') ended();
    });
    expect(await eventually(() => server.handler.openStreams === 1)).toBe(true);
    await client.runPipeline({ id: 'watched', steps: [{ key: 'a', request: { command: exec('true') } }] });
    await done;
    expect(seen.every((event) => event.pipelineId === 'watched')).toBe(true);
    expect(seen.at(-1)).toMatchObject({ status: 'completed', summary: { completed: 1 } });
  });

  it('rebuilds errors as their classes: invalid spec, unknown id, wait timeout, failed run', async () => {
    const { client } = await setup();
    const invalid = await client
      .startPipeline({ steps: [{ key: 'a', request: { command: exec('true') }, dependsOn: ['zz'] }] })
      .catch((error: unknown) => error);
    expect(invalid).toBeInstanceOf(InvalidRequestError);
    expect((invalid as InvalidRequestError).field).toMatch(/dependsOn/);
    await expect(client.getPipeline('nope')).rejects.toBeInstanceOf(ExecutionNotFoundError);
    const slow = await client.startPipeline({
      steps: [{ key: 's', request: { command: exec('sleep', ['30']) } }],
    });
    await expect(client.waitForPipeline(slow, { timeoutMs: 200 })).rejects.toBeInstanceOf(WaitTimeoutError);
    expect(await client.cancelPipeline(slow, 'enough')).toBe(true);
    expect((await client.getPipeline(slow)).status).toBe('cancelled');
    const failed = await client
      .runPipeline({
        steps: [
          { key: 'bad', request: { command: exec('false') } },
          { key: 'after', request: { command: exec('true') }, dependsOn: ['bad'] },
        ],
      })
      .catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(PipelineFailedError);
    expect((failed as PipelineFailedError).result.steps.map((s) => s.status)).toEqual([
      'completed',
      'skipped',
    ]);
    expect((failed as PipelineFailedError).result.results.bad!.exitCode).toBe(1);
    expect((failed as PipelineFailedError).message).toMatch(/^Pipeline `.+` failed/);
  });
});
