import { CommandFailedError, PipelineFailedError } from '../errors.js';
import type { BatchedEvent, EngineEvents, ExecutionEvent, LinesMode } from '../events/event-types.js';
import { describeFailure } from '../execution/failure-text.js';
import { describePipelineFailure } from '../pipeline/pipeline-failure-text.js';
import type {
  PipelineEvent,
  PipelineListFilter,
  PipelineResult,
  PipelineSnapshot,
  PipelineSpec,
} from '../pipeline/pipeline-types.js';
import type {
  EngineStats,
  ExecutionMetadata,
  ExecutionRequest,
  ExecutionResult,
  ExecutionSnapshot,
  ListFilter,
  WaitOptions,
} from '../types.js';
import { EventQueue } from './event-queue.js';
import { pollForResult } from './long-poll.js';
import { reviveDates, reviveEvent, revivePipeline } from './revive.js';
import type { Transport } from './transport.js';

/** Engine-wide event types `on` takes. */
export type ClientEventType = keyof Omit<EngineEvents, 'handlerError' | 'event'>;

type AnyEvent = ExecutionEvent | BatchedEvent | PipelineEvent;
type Listener = (event: AnyEvent) => void;

/**
 * The engine's methods, called through a {@link Transport} (`httpTransport` for a server running
 * `execution-engine/http`): same names, same types, the same error classes.
 * @example
 * ```ts
 * const client = new EngineClient(httpTransport({ url: 'http://127.0.0.1:8080/', token }));
 * const id = await client.execute({ command: shell('make test') });
 * for await (const event of client.subscribe(id, { lines: 'batched' })) {
 *   if (event.type === 'output') console.log(event.lines.join('\n'));
 * }
 * await client.close();
 * ```
 */
export class EngineClient<Meta extends ExecutionMetadata = ExecutionMetadata> {
  readonly #transport: Transport;
  readonly #subscriptions = new Map<string, EventQueue<AnyEvent>>();
  readonly #listeners = new Map<string, Set<Listener>>();
  #events: { subscription: Promise<string>; key: string; id: string | undefined } | undefined;
  readonly #stop: () => void;

  constructor(transport: Transport) {
    this.#transport = transport;
    this.#stop = transport.onNotification((method, params) => this.#notified(method, params));
  }

  /** Registers an execution; resolves with its id. Throws what `engine.execute` throws. */
  async execute(request: ExecutionRequest<Meta>): Promise<string> {
    return (await this.#transport.request('execute', { request })) as string;
  }

  /** Runs a command and waits for it. @throws CommandFailedError unless `result.success`. */
  async run(request: ExecutionRequest<Meta>): Promise<ExecutionResult<Meta>> {
    const id = await this.execute(request);
    const result = await this.waitForCompletion(id);
    if (result.success) return result;
    const { status, command, error, exitCode, stderr } = result;
    const timeoutMs = request.timeoutMs ?? 0;
    const message = describeFailure({
      status,
      command,
      timeoutMs,
      cancelReason: undefined,
      error,
      exitCode,
      stderr,
    });
    throw new CommandFailedError(result, message);
  }

  /** Resolves with the result once terminal (long polls). @throws ExecutionNotFoundError, WaitTimeoutError */
  async waitForCompletion(id: string, options: WaitOptions = {}): Promise<ExecutionResult<Meta>> {
    const poll = (waitMs: number) => this.#transport.request('getResult', { id, waitMs });
    return reviveDates(await pollForResult(id, options, poll)) as ExecutionResult<Meta>;
  }

  /** A live view of the execution. @throws ExecutionNotFoundError */
  async getExecution(id: string): Promise<ExecutionSnapshot<Meta>> {
    return reviveDates(await this.#transport.request('getExecution', { id })) as ExecutionSnapshot<Meta>;
  }

  /** The result, or `undefined` until terminal. @throws ExecutionNotFoundError */
  async getResult(id: string): Promise<ExecutionResult<Meta> | undefined> {
    const result = await this.#transport.request('getResult', { id });
    return result === undefined ? undefined : (reviveDates(result) as ExecutionResult<Meta>);
  }

  /** Snapshots of retained executions (of the caller's group only, for a tenant). */
  async list(filter?: ListFilter): Promise<ExecutionSnapshot<Meta>[]> {
    const snapshots = (await this.#transport.request('list', { filter })) as ExecutionSnapshot<Meta>[];
    return snapshots.map((snapshot) => reviveDates(snapshot));
  }

  /** Cancels a queued or running execution; `false` if it had ended. */
  async cancel(id: string, reason?: string): Promise<boolean> {
    return (await this.#transport.request('cancel', { id, reason })) as boolean;
  }

  /** Forgets a terminal execution; `false` for an unknown id. @throws InvalidRequestError while live */
  async removeExecution(id: string): Promise<boolean> {
    return (await this.#transport.request('removeExecution', { id })) as boolean;
  }

  /** Writes to the stdin of an execution started with `stdin: 'pipe'`. */
  async writeInput(id: string, data: string | Uint8Array): Promise<void> {
    await this.#transport.request('writeInput', { id, data });
  }

  /** Ends the stdin of an execution started with `stdin: 'pipe'`. */
  async closeInput(id: string): Promise<void> {
    await this.#transport.request('closeInput', { id });
  }

  /** The engine's live counts and totals. */
  async stats(): Promise<EngineStats> {
    return (await this.#transport.request('stats', {})) as EngineStats;
  }

  /**
   * Replays an execution's events, then follows it live, ending after the terminal event, like
   * `engine.subscribe`. Over HTTP a dropped connection is resumed from the last `seq` seen: no gap,
   * no duplicate. Breaking out of the loop or aborting `signal` ends the subscription.
   */
  subscribe(
    id: string,
    options: { lines: 'batched'; afterSeq?: number; signal?: AbortSignal },
  ): AsyncIterable<BatchedEvent<Meta>>;
  subscribe(
    id: string,
    options?: { lines?: 'each'; afterSeq?: number; signal?: AbortSignal },
  ): AsyncIterable<ExecutionEvent<Meta>>;
  async *subscribe(
    id: string,
    options: { lines?: LinesMode; afterSeq?: number; signal?: AbortSignal } = {},
  ): AsyncIterable<ExecutionEvent<Meta> | BatchedEvent<Meta>> {
    const { lines = 'each', afterSeq, signal } = options;
    const subscription = (await this.#transport.request('subscribe', { id, lines, afterSeq })) as string;
    yield* this.#follow(
      subscription,
      (event) => event.type !== 'output' && 'result' in event,
      signal,
    ) as AsyncIterable<ExecutionEvent<Meta>>;
  }

  /** Starts a pipeline of plain requests (a function step cannot cross the wire); resolves with its id. */
  async startPipeline(spec: PipelineSpec<Meta>): Promise<string> {
    return (await this.#transport.request('startPipeline', { spec })) as string;
  }

  /** Starts a pipeline and waits for it. @throws PipelineFailedError unless the result's `success`. */
  async runPipeline(spec: PipelineSpec<Meta>): Promise<PipelineResult<Meta>> {
    const result = await this.waitForPipeline(await this.startPipeline(spec));
    if (result.success) return result;
    throw new PipelineFailedError(result, describePipelineFailure(result));
  }

  /** Resolves with the result once the pipeline has ended (long polls). @throws ExecutionNotFoundError, WaitTimeoutError */
  async waitForPipeline(id: string, options: WaitOptions = {}): Promise<PipelineResult<Meta>> {
    const poll = (waitMs: number) => this.#transport.request('getPipelineResult', { id, waitMs });
    return revivePipeline(await pollForResult(id, options, poll)) as PipelineResult<Meta>;
  }

  /** The aggregated state of a pipeline. @throws ExecutionNotFoundError */
  async getPipeline(id: string): Promise<PipelineSnapshot> {
    return revivePipeline(await this.#transport.request('getPipeline', { id })) as PipelineSnapshot;
  }

  /** Retained pipelines, oldest first (of the caller's group only, for a tenant). */
  async listPipelines(filter?: PipelineListFilter): Promise<PipelineSnapshot[]> {
    const snapshots = (await this.#transport.request('listPipelines', { filter })) as PipelineSnapshot[];
    return snapshots.map((snapshot) => revivePipeline(snapshot));
  }

  /** Cancels a pipeline's queued and running steps; `false` if it had ended. */
  async cancelPipeline(id: string, reason?: string): Promise<boolean> {
    return (await this.#transport.request('cancelPipeline', { id, reason })) as boolean;
  }

  /**
   * Replays a pipeline's events, then follows it live, ending after the final event, like
   * `engine.subscribePipeline`; over HTTP a dropped connection resumes after the last `seq` seen.
   */
  async *subscribePipeline(
    id: string,
    options: { afterSeq?: number; signal?: AbortSignal } = {},
  ): AsyncIterable<PipelineEvent> {
    const { afterSeq, signal } = options;
    const subscription = (await this.#transport.request('subscribePipeline', { id, afterSeq })) as string;
    yield* this.#follow(
      subscription,
      (event) => event.type === 'pipeline' && event.step === undefined && event.status !== 'running',
      signal,
    ) as AsyncIterable<PipelineEvent>;
  }

  /** Yields a subscription's events until `isLast` accepts one; releases it when the loop ends. */
  async *#follow(
    subscription: string,
    isLast: (event: AnyEvent) => boolean,
    signal: AbortSignal | undefined,
  ): AsyncGenerator<AnyEvent> {
    const queue = new EventQueue<AnyEvent>();
    this.#subscriptions.set(subscription, queue);
    const onAbort = () => queue.end(signal?.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    // Aborted while the subscription was being set up: end at once, releasing it.
    if (signal?.aborted) onAbort();
    try {
      for await (const event of queue) {
        yield event;
        if (isLast(event)) return;
      }
    } finally {
      signal?.removeEventListener('abort', onAbort);
      this.#subscriptions.delete(subscription);
      await this.#transport.request('unsubscribe', { subscription }).catch(() => {});
    }
  }

  /**
   * Listens to every execution's events of `type` (live only), like `engine.on`. One engine-wide
   * subscription serves every listener. Returns the client.
   */
  on<T extends ClientEventType>(type: T, listener: EngineEvents<Meta>[T]): this {
    let listeners = this.#listeners.get(type);
    if (listeners === undefined) {
      listeners = new Set();
      this.#listeners.set(type, listeners);
    }
    listeners.add(listener as unknown as Listener);
    this.#resubscribe();
    return this;
  }

  /** Removes a listener added with `on`. Returns the client. */
  off<T extends ClientEventType>(type: T, listener: EngineEvents<Meta>[T]): this {
    this.#listeners.get(type)?.delete(listener as unknown as Listener);
    if (this.#listeners.get(type)?.size === 0) this.#listeners.delete(type);
    this.#resubscribe();
    return this;
  }

  /** Ends every subscription and releases the transport. */
  async close(): Promise<void> {
    for (const queue of this.#subscriptions.values()) queue.end();
    this.#subscriptions.clear();
    this.#listeners.clear();
    this.#stop();
    await this.#transport.close();
  }

  /** One engine-wide subscription for the types listened to; replaced when they change. */
  #resubscribe(): void {
    const types = [...this.#listeners.keys()].sort();
    const key = types.join(',');
    if (this.#events?.key === key) return;
    const previous = this.#events;
    this.#events = undefined;
    if (previous !== undefined) {
      void previous.subscription.then((subscription) =>
        this.#transport.request('unsubscribe', { subscription }).catch(() => {}),
      );
    }
    if (types.length === 0) return;
    const lines = types.includes('output') ? 'batched' : 'each';
    const subscription = this.#transport.request('subscribeEvents', { types, lines }) as Promise<string>;
    const current = { subscription, key, id: undefined as string | undefined };
    subscription.then(
      (id) => {
        current.id = id;
      },
      () => {},
    );
    this.#events = current;
  }

  #notified(method: string, params: unknown): Promise<void> | undefined {
    const { subscription, event, error } = params as {
      subscription: string;
      event?: unknown;
      error?: unknown;
    };
    const queue = this.#subscriptions.get(subscription);
    if (method === 'subscriptionError') {
      queue?.end(error);
      // The engine-wide subscription was dropped (its consumer fell too far behind): listeners
      // go on with a new one, live from now, as `/events` does after a reconnect.
      if (queue === undefined && this.#events?.id === subscription) {
        this.#events = undefined;
        this.#resubscribe();
      }
      return undefined;
    }
    if (method !== 'event' || event === undefined) return undefined;
    const revived = reviveEvent(event) as AnyEvent;
    if (queue !== undefined) return queue.push(revived);
    if (this.#events?.id !== subscription) return undefined;
    for (const listener of this.#listeners.get(revived.type) ?? []) listener(revived);
    return undefined;
  }
}
