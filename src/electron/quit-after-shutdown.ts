import type { ExecutionEngine } from '../engine.js';
import type { QuittingAppLike } from './electron-shapes.js';
import { checkMilliseconds, checkShape } from './option-checks.js';

/**
 * Makes quitting the app wait for `engine.shutdown()`: Electron quits without waiting for
 * promises, so the first `before-quit` is cancelled, the engine shuts down (running commands get
 * `graceMs` to end, then their process trees are killed), and the app quits again. Nothing the
 * engine started outlives the app. Returns the function that removes the hook.
 * @param options.graceMs How long running commands get before they are killed. @default 2000
 * @throws InvalidConfigError naming `app` or `graceMs`.
 * @example
 * ```ts
 * import { app } from 'electron';
 * quitAfterShutdown(app, engine, { graceMs: 1000 });
 * ```
 */
export function quitAfterShutdown(
  app: QuittingAppLike,
  // biome-ignore lint/suspicious/noExplicitAny: engines of any metadata type
  engine: ExecutionEngine<any>,
  options: { graceMs?: number | undefined } = {},
): () => void {
  checkShape('app', app, ['on', 'removeListener', 'quit'], "Electron's app");
  const graceMs = checkMilliseconds('graceMs', options.graceMs, 0, 2000);
  let state: 'running' | 'stopping' | 'stopped' = 'running';
  const onBeforeQuit = (event: { preventDefault(): void }): void => {
    if (state === 'stopped') return; // the quit after shutdown: let it through
    event.preventDefault();
    if (state === 'stopping') return; // a second quit while shutting down: the first one quits
    state = 'stopping';
    engine
      .shutdown({ graceMs })
      .catch((error: unknown) => console.error('execution-engine: shutdown failed:', error))
      .finally(() => {
        state = 'stopped';
        app.quit();
      });
  };
  app.on('before-quit', onBeforeQuit);
  return () => app.removeListener('before-quit', onBeforeQuit);
}
