import { InvalidConfigError } from '../errors.js';
import type { MessageChannelMainConstructor } from './electron-shapes.js';

/** Variables, so that bundlers of a preload script do not try to resolve these modules here. */
const ELECTRON = 'electron';
const NODE_MODULE = 'node:module';

/**
 * Loads `electron` with `require`, which has it in every Electron main process, CommonJS or ES
 * module, whatever the base path (no `import.meta`, which a preload's bundler would warn about).
 */
async function loadElectron(): Promise<{ MessageChannelMain: MessageChannelMainConstructor }> {
  const { createRequire } = (await import(NODE_MODULE)) as typeof import('node:module');
  return createRequire(process.execPath)(ELECTRON);
}

/**
 * Electron's `MessageChannelMain`: the one given, or the `electron` module's, loaded on first use
 * (only the main process needs it; `electron` is not a dependency of this package).
 * @throws InvalidConfigError naming `MessageChannelMain` outside Electron's main process when
 * none was given.
 */
export function messageChannelMain(
  given: MessageChannelMainConstructor | undefined,
): () => Promise<MessageChannelMainConstructor> {
  if (given !== undefined) {
    if (typeof given !== 'function') {
      throw new InvalidConfigError(
        'MessageChannelMain',
        `Expected \`MessageChannelMain\` to be a constructor, got \`${String(given)}\` (${typeof given})`,
      );
    }
    return () => Promise.resolve(given);
  }
  if (process.versions.electron === undefined) {
    throw new InvalidConfigError(
      'MessageChannelMain',
      "Expected `MessageChannelMain` to be given outside Electron's main process (`electron` is only loaded there), got `undefined` (undefined)",
    );
  }
  let loaded: Promise<MessageChannelMainConstructor> | undefined;
  return () => {
    loaded ??= loadElectron().then((electron) => electron.MessageChannelMain);
    return loaded;
  };
}
