import { describe, expectTypeOf, it } from 'vitest';
import type { BridgeError, EngineBridge, ExposedEngine, Unsubscribe } from '../../src/electron/index.js';
import type {
  BatchedEvent,
  CompletedEvent,
  ExecutionEvent,
  ExecutionResult,
  PipelineEvent,
} from '../../src/index.js';

describe('the types a renderer sees on window.engine', () => {
  it('calls return promises, subscriptions and listeners return their unsubscribe function', () => {
    type Meta = { task: string };
    const engine = {} as EngineBridge<Meta>;
    expectTypeOf(engine.execute).returns.toEqualTypeOf<Promise<string>>();
    expectTypeOf(engine.run).returns.toEqualTypeOf<Promise<ExecutionResult<Meta>>>();
    expectTypeOf(engine.subscribe).returns.toEqualTypeOf<Unsubscribe>();
    expectTypeOf(engine.subscribe)
      .parameter(1)
      .parameter(0)
      .toEqualTypeOf<ExecutionEvent<Meta> | BatchedEvent<Meta>>();
    expectTypeOf(engine.subscribePipeline).parameter(1).parameter(0).toEqualTypeOf<PipelineEvent>();
    expectTypeOf(engine.on<'completed'>).returns.toEqualTypeOf<Unsubscribe>();
    expectTypeOf(engine.on<'completed'>)
      .parameter(1)
      .parameter(0)
      .toEqualTypeOf<CompletedEvent<Meta>>();
    expectTypeOf<Unsubscribe>().toEqualTypeOf<() => void>();
    expectTypeOf<BridgeError['code']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<ExposedEngine['close']>().returns.toEqualTypeOf<Promise<void>>();
  });
});
