import type { PipelineEvent } from '../pipeline/pipeline-types.js';
import type { ExecutionRequest } from '../types.js';
import { decodeInput } from './input-data.js';
import { readTypes } from './live-subscription.js';
import { checkAllowed, MAX_WAIT_MS, type Method, waitAtMost } from './method-context.js';
import {
  linesParam,
  objectParam,
  optionalCount,
  optionalObject,
  optionalString,
  stringParam,
  windowParam,
} from './params.js';
import { pipelineMethods } from './pipeline-methods.js';

/** Events after `afterSeq` (a pipeline keeps all of its events: no gap to report). */
async function* after(events: AsyncIterable<PipelineEvent>, afterSeq: number): AsyncGenerator<PipelineEvent> {
  for await (const event of events) if (event.seq > afterSeq) yield event;
}

/** Every method of the protocol, by name: the engine's names and parameters. */
export const METHODS: Readonly<Record<string, Method>> = {
  execute: (p, { engine, options }) => {
    const request = objectParam(p, 'request');
    checkAllowed(options, request);
    return engine.execute(request as unknown as ExecutionRequest);
  },
  run: async (p, { engine, options }) => {
    const request = objectParam(p, 'request');
    checkAllowed(options, request);
    return engine.run(request as unknown as ExecutionRequest);
  },
  waitForCompletion: (p, { engine, signal }) =>
    engine.waitForCompletion(stringParam(p, 'id'), { timeoutMs: optionalCount(p, 'timeoutMs'), signal }),
  getExecution: (p, { engine }) => engine.getExecution(stringParam(p, 'id')),
  getResult: async (p, { engine, signal }) => {
    const id = stringParam(p, 'id');
    const waitMs = optionalCount(p, 'waitMs', MAX_WAIT_MS) ?? 0;
    return engine.getResult(id) ?? waitAtMost(waitMs, signal, (o) => engine.waitForCompletion(id, o));
  },
  list: (p, { engine }) => engine.list(optionalObject(p, 'filter') as never),
  cancel: (p, { engine }) => engine.cancel(stringParam(p, 'id'), optionalString(p, 'reason')),
  removeExecution: (p, { engine }) => engine.removeExecution(stringParam(p, 'id')),
  writeInput: (p, { engine }) => engine.writeInput(stringParam(p, 'id'), decodeInput(p)),
  closeInput: (p, { engine }) => engine.closeInput(stringParam(p, 'id')),
  stats: (_p, { engine }) => engine.stats(),
  subscribe: (p, { engine, subscriptions }) => {
    const id = stringParam(p, 'id');
    const lines = linesParam(p);
    const afterSeq = optionalCount(p, 'afterSeq') ?? 0;
    return subscriptions.follow(
      (signal) => engine.subscribe(id, { signal, lines: lines as 'batched', afterSeq }),
      windowParam(p),
    );
  },
  subscribeEvents: (p, { subscriptions }) =>
    subscriptions.live(readTypes(p.types), linesParam(p), windowParam(p)),
  unsubscribe: (p, { subscriptions }) => subscriptions.unsubscribe(String(p.subscription)),
  subscribePipeline: (p, { engine, subscriptions }) => {
    const id = stringParam(p, 'id');
    const afterSeq = optionalCount(p, 'afterSeq') ?? 0;
    return subscriptions.follow(
      (signal) => after(engine.subscribePipeline(id, { signal }), afterSeq),
      windowParam(p),
    );
  },
  ...pipelineMethods,
};
