import { describe, expect, test } from 'vitest';
import { EngineClient, type NotificationListener, type Transport } from '../../src/client/index.js';

/** A transport answering subscribe calls with numbered ids, recording calls; the test pushes notifications. */
function scriptedTransport() {
  const calls: { method: string; params: Record<string, unknown> }[] = [];
  let notify: NotificationListener = () => {};
  let next = 0;
  const transport: Transport = {
    request: async (method, params) => {
      calls.push({ method, params });
      return method.startsWith('subscribe') ? `s${++next}` : true;
    },
    onNotification: (listener) => {
      notify = listener;
      return () => {};
    },
    close: async () => {},
  };
  return { transport, calls, notify: (method: string, params: unknown) => notify(method, params) };
}

const started = (executionId: string) => ({
  type: 'started',
  executionId,
  seq: 2,
  timestamp: Date.now(),
  pid: 1,
  attempt: 1,
});

describe('EngineClient.on over a message transport', () => {
  test('listeners go on with a new engine-wide subscription after the server drops the old one', async () => {
    const { transport, calls, notify } = scriptedTransport();
    const client = new EngineClient(transport);
    const seen: string[] = [];
    client.on('started', (event) => seen.push(event.executionId));
    await Promise.resolve();
    expect(calls.map((c) => c.method)).toEqual(['subscribeEvents']);
    await new Promise((resolve) => setImmediate(resolve));
    notify('event', { subscription: 's1', event: started('a') });
    notify('subscriptionError', {
      subscription: 's1',
      error: { code: 'SUBSCRIPTION_OVERFLOW', message: 'behind' },
    });
    expect(calls.map((c) => c.method)).toEqual(['subscribeEvents', 'subscribeEvents']);
    await new Promise((resolve) => setImmediate(resolve));
    notify('event', { subscription: 's1', event: started('stale') }); // the dropped one: ignored
    notify('event', { subscription: 's2', event: started('b') });
    expect(seen).toEqual(['a', 'b']);
    await client.close();
  });

  test('a subscription whose signal is aborted while it is being set up ends at once and is released', async () => {
    const { transport, calls } = scriptedTransport();
    const client = new EngineClient(transport);
    const controller = new AbortController();
    controller.abort(new Error('not wanted'));
    const events = client.subscribe('x', { signal: controller.signal });
    await expect(
      (async () => {
        for await (const _ of events) {
          // nothing arrives
        }
      })(),
    ).rejects.toThrow('not wanted');
    expect(calls.map((c) => c.method)).toEqual(['subscribe', 'unsubscribe']);
    await client.close();
  });
});
