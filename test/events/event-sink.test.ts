import type { ExecutionEvent } from '../../src/index.js';
import { eventSinkConformance } from './event-sink-conformance.js';

eventSinkConformance('a synchronous sink', () => {
  const events: ExecutionEvent[] = [];
  return { sink: { handleEvent: (event) => void events.push(event) }, received: async () => events };
});

eventSinkConformance('an asynchronous sink that lags (back-pressure)', () => {
  const events: ExecutionEvent[] = [];
  let chain = Promise.resolve();
  return {
    sink: {
      handleEvent: (event) => {
        chain = chain
          .then(() => new Promise<void>((resolve) => setImmediate(resolve)))
          .then(() => {
            events.push(event);
          });
        return chain;
      },
    },
    received: () => chain.then(() => events),
  };
});
