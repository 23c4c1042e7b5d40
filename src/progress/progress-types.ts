/**
 * One progress reading of an execution. Every field is optional; the engine derives `percent` from
 * `current` and `total` when a parser gives those without it.
 * @example
 * ```ts
 * const update: ProgressUpdate = { current: 3, total: 12, message: 'compiling' }; // percent 25
 * ```
 */
export interface ProgressUpdate {
  /** 0 to 100. */
  percent?: number;
  /** Work done so far (items, bytes, steps...). */
  current?: number;
  /** Work in all, in the unit of `current`. */
  total?: number;
  /** What is being done now. */
  message?: string;
}

/**
 * Reads progress from one line of output (without its line break). Returns `undefined` for a line
 * that says nothing about progress. Called synchronously for every line of both streams, so keep
 * it cheap; a parser that throws is reported on the engine's `handlerError` event and the line is
 * skipped.
 * @example
 * ```ts
 * const steps: ProgressParser = (line) => {
 *   const match = /^Step (\d+) of (\d+)/.exec(line);
 *   return match ? { current: Number(match[1]), total: Number(match[2]), message: line } : undefined;
 * };
 * ```
 */
export type ProgressParser = (line: string, stream: 'stdout' | 'stderr') => ProgressUpdate | undefined;

/** The built-in parsers, by name (see `docs/progress.md`). */
export type ProgressPreset = 'percent' | 'fraction' | 'json';

/** A request's `progress`: a built-in parser by name, or your own. */
export type ProgressOption = ProgressPreset | ProgressParser;
