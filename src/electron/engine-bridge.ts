import type { EngineClient } from '../client/engine-client.js';
import type { ExecutionMetadata } from '../types.js';
import { bridged, toBridgeError } from './bridge-errors.js';
import type { BridgeError, EngineBridge, Unsubscribe } from './bridge-types.js';

/** Delivers `source`'s events to `listener` until the returned function is called or it ends. */
function follow<E>(
  source: (signal: AbortSignal) => AsyncIterable<E>,
  listener: (event: E) => void,
  onError: ((error: BridgeError) => void) | undefined,
): Unsubscribe {
  const controller = new AbortController();
  const report = onError ?? ((error: BridgeError) => console.error('execution-engine:', error.message));
  void (async () => {
    try {
      for await (const event of source(controller.signal)) {
        if (controller.signal.aborted) break; // unsubscribed before the subscription was set up
        try {
          listener(event);
        } catch (error) {
          console.error('execution-engine: a subscription listener threw:', error);
        }
      }
    } catch (error) {
      if (!controller.signal.aborted) report(toBridgeError(error));
    }
  })();
  return () => controller.abort();
}

/**
 * The plain-function API a preload script exposes to its renderer, over `client`. Each
 * subscription and listener returns its own unsubscribe function, closing over the preload's
 * own objects: no function identity has to survive contextBridge.
 */
export function createEngineBridge<Meta extends ExecutionMetadata = ExecutionMetadata>(
  client: EngineClient<Meta>,
): EngineBridge<Meta> {
  return {
    execute: (request) => bridged(client.execute(request)),
    run: (request) => bridged(client.run(request)),
    waitForCompletion: (id, options) =>
      bridged(client.waitForCompletion(id, { timeoutMs: options?.timeoutMs })),
    getExecution: (id) => bridged(client.getExecution(id)),
    getResult: (id) => bridged(client.getResult(id)),
    list: (filter) => bridged(client.list(filter)),
    cancel: (id, reason) => bridged(client.cancel(id, reason)),
    removeExecution: (id) => bridged(client.removeExecution(id)),
    writeInput: (id, data) => bridged(client.writeInput(id, data)),
    closeInput: (id) => bridged(client.closeInput(id)),
    stats: () => bridged(client.stats()),
    subscribe: (id, listener, options = {}) => {
      const { lines, onError } = options;
      const after = options.afterSeq === undefined ? {} : { afterSeq: options.afterSeq };
      return follow(
        (signal) =>
          lines === 'batched'
            ? client.subscribe(id, { lines: 'batched', ...after, signal })
            : client.subscribe(id, { ...after, signal }),
        listener,
        onError,
      );
    },
    startPipeline: (spec) => bridged(client.startPipeline(spec)),
    runPipeline: (spec) => bridged(client.runPipeline(spec)),
    waitForPipeline: (id, options) => bridged(client.waitForPipeline(id, { timeoutMs: options?.timeoutMs })),
    getPipeline: (id) => bridged(client.getPipeline(id)),
    listPipelines: (filter) => bridged(client.listPipelines(filter)),
    cancelPipeline: (id, reason) => bridged(client.cancelPipeline(id, reason)),
    subscribePipeline: (id, listener, options = {}) => {
      const after = options.afterSeq === undefined ? {} : { afterSeq: options.afterSeq };
      return follow(
        (signal) => client.subscribePipeline(id, { ...after, signal }),
        listener,
        options.onError,
      );
    },
    on: (type, listener) => {
      // The preload's own function: `off` finds it, whatever contextBridge made of `listener`.
      const forward = ((event: unknown) => (listener as (event: unknown) => void)(event)) as typeof listener;
      client.on(type, forward);
      let on = true;
      return () => {
        if (on) client.off(type, forward);
        on = false;
      };
    },
    close: () => bridged(client.close()),
  };
}
