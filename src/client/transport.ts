/**
 * How an {@link EngineClient} reaches an engine: requests answered once, and notifications pushed
 * by the engine side. `httpTransport` implements it over HTTP + SSE; a JSON-RPC transport (stdio,
 * MessagePort) maps it one to one onto its messages.
 *
 * Methods and their parameters are the engine's: `execute { request }`, `getExecution { id }`,
 * `getResult { id }`, `waitForCompletion { id, timeoutMs? }`, `list { filter? }`,
 * `cancel { id, reason? }`, `removeExecution { id }`, `writeInput { id, data, encoding? }`,
 * `closeInput { id }`, `stats {}`, `subscribe { id, afterSeq?, lines? }` and
 * `subscribeEvents { types?, lines? }` (each answers a subscription id, then `event` notifications
 * `{ subscription, event }`, and `subscriptionError` `{ subscription, error }` when it cannot go
 * on), `unsubscribe { subscription }`; pipelines: `startPipeline { spec }`, `getPipeline { id }`,
 * `listPipelines { filter? }`, `getPipelineResult { id, waitMs? }`, `cancelPipeline { id, reason? }`
 * and `subscribePipeline { id, afterSeq? }` (a subscription ending after the final event).
 */
export interface Transport {
  /**
   * Calls `method`; resolves with its result, or rejects with the engine's error rebuilt as the
   * same class (`isExecutionError` works).
   */
  request(method: string, params: Record<string, unknown>): Promise<unknown>;
  /**
   * Receives notifications. A listener that returns a promise makes the transport wait for it
   * before delivering more (the consumer sets the pace; nothing piles up).
   */
  onNotification(listener: NotificationListener): () => void;
  /** Ends every subscription and releases the connection. */
  close(): Promise<void>;
}

/** A notification listener; a returned promise holds back the next notification. */
export type NotificationListener = (method: string, params: unknown) => void | Promise<void>;
