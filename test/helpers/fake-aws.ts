import { delimiter, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

/** `test-scripts/`: fixtures such as `print-argv.js`. */
export const TEST_SCRIPTS_DIR = fileURLToPath(new URL('../../test-scripts', import.meta.url));

/** `test-scripts/scripts/`: sample script files for interpreter selection. */
export const SAMPLE_SCRIPTS_DIR = `${TEST_SCRIPTS_DIR}/scripts`;

/** Prints each of its arguments as one JSON line. */
export const PRINT_ARGV = `${TEST_SCRIPTS_DIR}/print-argv.js`;

/**
 * The directory holding the fake `aws` executable. Put it first on a request's PATH:
 * it prints its argv as JSON lines, or with `--output json` the document `{ fakeAws: true, argv }`.
 * `FAKE_AWS_STDOUT` replaces what it prints; `FAKE_AWS_EXIT` sets its exit code.
 */
export const FAKE_AWS_DIR = `${TEST_SCRIPTS_DIR}/fake-aws`;

/** A PATH value with `dirs` in front of the test process's own PATH. */
export function pathWith(...dirs: string[]): string {
  return [...dirs, process.env.PATH ?? ''].join(delimiter);
}

/** A request `env` that finds the fake `aws` first (and everything else as usual). */
export function fakeAwsEnv(extra: Record<string, string> = {}): Record<string, string> {
  return { PATH: pathWith(FAKE_AWS_DIR), ...extra };
}

/** A minimal PATH for `inheritEnv: false` requests: the fake `aws`, then the running Node. */
export const FAKE_AWS_ONLY_PATH = [FAKE_AWS_DIR, dirname(process.execPath)].join(delimiter);

/** Parses output printed one JSON value per line (`print-argv.js`, the fake `aws`). */
export function jsonLines(stdout: string): unknown[] {
  return stdout === '' ? [] : stdout.split('\n').map((line) => JSON.parse(line) as unknown);
}
