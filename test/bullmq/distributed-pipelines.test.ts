import { afterAll, beforeAll, expect, it } from 'vitest';
import { InvalidRequestError, type PipelineEvent, shell } from '../../src/index.js';
import { createDistributedEngine, spawnWorker } from '../helpers/distributed.js';
import { startRedis, type TestRedis } from '../helpers/redis.js';

let redis: TestRedis;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis.dispose();
});

it('dispatches each step of a pipeline to a worker with its capability, outputs flowing between steps', async () => {
  const [scanner, reporter] = await Promise.all([
    spawnWorker({ connection: redis.connection, capabilities: ['scan'] }),
    spawnWorker({ connection: redis.connection, capabilities: ['default'] }),
  ]);
  const engine = createDistributedEngine({ connection: redis.connection });
  const workers = new Map<string, string>();
  engine.on('started', (event) =>
    workers.set(event.executionId, (event as { worker?: string }).worker ?? ''),
  );
  const events: PipelineEvent[] = [];
  engine.on('pipeline', (event) => events.push(event));
  const result = await engine.runPipeline({
    id: 'audit',
    steps: [
      {
        key: 'scan',
        request: { command: shell('echo "ports=22,80" >> "$EXECUTION_OUTPUT"'), requires: 'scan' },
      },
      {
        key: 'report',
        dependsOn: ['scan'],
        request: {
          command: shell('echo "open: $PORTS"'),
          // biome-ignore lint/suspicious/noTemplateCurlyInString: a pipeline placeholder, not a template
          env: { PORTS: '${{ steps.scan.outputs.ports }}' },
        },
      },
    ],
  });
  expect(result.success).toBe(true);
  expect(result.results.report?.stdout).toBe('open: 22,80');
  expect(workers.get('audit.scan')).toBe(scanner.id);
  expect(workers.get('audit.report')).toBe(reporter.id);
  expect(engine.getPipeline('audit').status).toBe('completed');
  expect(events.at(-1)).toMatchObject({ type: 'pipeline', status: 'completed' });
  expect((await engine.getExecution('audit.report')).pipeline).toEqual({ id: 'audit', step: 'report' });
});

it('checks a pipeline before starting it, `requires` of a step included', async () => {
  const engine = createDistributedEngine({ connection: redis.connection });
  const error = await engine
    .startPipeline({ steps: [{ key: 'a', request: { command: shell('true'), requires: 'no way' } }] })
    .catch((e: unknown) => e);
  expect(error).toBeInstanceOf(InvalidRequestError);
  expect((error as InvalidRequestError).field).toBe('steps[0].request.requires');
  expect(engine.listPipelines()).toEqual([]);
});

it('cancels a pipeline: its running step on a worker, its pending ones skipped', async () => {
  await spawnWorker({ connection: redis.connection });
  const engine = createDistributedEngine({ connection: redis.connection });
  const id = await engine.startPipeline({
    steps: [
      { key: 'long', request: { command: shell('sleep 30') } },
      { key: 'after', dependsOn: ['long'], request: { command: shell('true') } },
    ],
  });
  await new Promise<void>((resolve) => {
    engine.on('started', (event) => event.executionId === `${id}.long` && resolve());
  });
  expect(await engine.cancelPipeline(id)).toBe(true);
  const result = await engine.waitForPipeline(id);
  expect(result.status).toBe('cancelled');
  expect(await engine.getStatus(`${id}.long`)).toBe('cancelled');
});
