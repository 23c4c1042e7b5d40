import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const root = fileURLToPath(new URL('../..', import.meta.url));

/**
 * Builds the `execution-engine` command with the package's own build (tsup.config.ts) into a
 * temporary directory under the project's ignored `.tmp/` (never into dist/, which other test
 * files read while this runs; inside the project so the build finds its dependencies), for tests
 * that run the built file as users do: an executable with a shebang. `remove()` deletes it.
 */
export async function buildCli(): Promise<{ bin: string; remove: () => Promise<void> }> {
  await mkdir(join(root, '.tmp'), { recursive: true });
  const out = await mkdtemp(join(root, '.tmp', 'cli-build-'));
  const tsup = join(root, 'node_modules', 'tsup', 'dist', 'cli-default.js');
  await promisify(execFile)(process.execPath, [tsup, '--no-dts', '--format', 'esm', '--out-dir', out], {
    cwd: root,
  });
  return { bin: join(out, 'cli.js'), remove: () => rm(out, { recursive: true, force: true }) };
}
