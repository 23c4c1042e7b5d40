import { createRequire } from 'node:module';

/** The prom-client module. */
export type PromClient = typeof import('prom-client');

/** The message when prom-client cannot be found. */
export const PROM_CLIENT_MISSING =
  'execution-engine/metrics needs prom-client, an optional peer dependency that is not installed: run `npm install prom-client` (version 15)';

/**
 * Loads prom-client the way the application itself would resolve it (so metrics land in the
 * application's registry classes), from this file's location. Only `execution-engine/metrics`
 * loads it; the main entry never does.
 * @throws Error with {@link PROM_CLIENT_MISSING} (the resolution error as `cause`) when it is not installed.
 */
export function loadPromClient(load: (id: string) => unknown = createRequire(import.meta.url)): PromClient {
  try {
    return load('prom-client') as PromClient;
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    if (code === 'MODULE_NOT_FOUND' && message.includes("'prom-client'")) {
      throw Object.assign(new Error(PROM_CLIENT_MISSING, { cause: error }), { code });
    }
    throw error;
  }
}
