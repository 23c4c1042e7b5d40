export { DistributedEngine } from './distributed-engine.js';
export type { DistributedEngineOptions, RedisConnection, WorkerOptions } from './distributed-options.js';
export type { DistributedPipelineSpec, DistributedRequest } from './distributed-request.js';
export { RedisUnavailableError } from './redis-unavailable.js';
export type { ExecutionWorker } from './worker.js';
export { startWorker } from './worker.js';
