/**
 * The one rule for execution ids. Ids become file names (log files, journal records), so they
 * are 1–128 characters of `[A-Za-z0-9._-]`, and `.` and `..` are refused: `<dir>/..` is not a
 * file of the directory.
 */
const ID_PATTERN = /^(?!\.\.?$)[A-Za-z0-9._-]{1,128}$/;

/** The rule in words, for error messages. */
export const EXECUTION_ID_RULE = '1-128 characters of [A-Za-z0-9._-], other than `.` and `..`';

/** True when `id` is a valid execution id: 1–128 characters of `[A-Za-z0-9._-]`, not `.` or `..`. */
export function isValidExecutionId(id: unknown): id is string {
  return typeof id === 'string' && ID_PATTERN.test(id);
}
