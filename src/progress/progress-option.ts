import { InvalidRequestError } from '../errors.js';
import { describeValue } from '../utils/describe-value.js';
import { PROGRESS_PRESETS } from './presets.js';
import type { ProgressParser } from './progress-types.js';

/**
 * A request's `progress` as the parser to run: a preset name resolved to its parser, or the
 * caller's function as is. `undefined` when progress is not parsed.
 * @throws InvalidRequestError (field `progress`) for anything else.
 */
export function checkProgress(progress: unknown): ProgressParser | undefined {
  if (progress === undefined || typeof progress === 'function') return progress as ProgressParser | undefined;
  if (typeof progress === 'string' && Object.hasOwn(PROGRESS_PRESETS, progress)) {
    return PROGRESS_PRESETS[progress as keyof typeof PROGRESS_PRESETS];
  }
  throw new InvalidRequestError(
    'progress',
    `Expected \`progress\` to be 'percent', 'fraction', 'json' or a function, got ${describeValue(progress)}`,
  );
}
