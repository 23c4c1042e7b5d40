import type { Registry } from 'prom-client';
import type { ExecutionEngine } from '../engine.js';
import { loadPromClient } from './load-prom-client.js';
import { registerMetricsWith } from './register-metrics.js';

/** A registry holding an engine's metrics, and the function that unregisters them. */
export interface EngineRegistry {
  registry: Registry;
  stop: () => void;
}

/**
 * A new prom-client `Registry` (never the global one) with the engine's metrics registered, for
 * `execution-engine serve --metrics`. prom-client is loaded only now.
 * @throws Error whose message says to install prom-client when it is not installed.
 */
export function createEngineRegistry(engine: ExecutionEngine): EngineRegistry {
  const prom = loadPromClient();
  const registry = new prom.Registry();
  const stop = registerMetricsWith(prom, engine, { registry });
  return { registry, stop };
}
