import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

// Builds the declaration files as published (tsup, the package's own build) into a temporary
// directory, installs them there as `execution-engine` (a package.json with the same `exports`),
// and compiles a user file against them with tsc, the way a user's project does: `strict`,
// `exactOptionalPropertyTypes`, `module: nodenext`, and no `skipLibCheck`, so the `.d.ts` itself is
// checked. Once at the default target of `module: nodenext`, once at `target: es2015`, the oldest
// target the package supports (its classes have `#private` fields).

const run = promisify(execFile);
const root = fileURLToPath(new URL('..', import.meta.url));
const bin = (path: string) => join(root, 'node_modules', path);

const USER_FILE = `
import {
  type ExecutionErrorCode,
  type ExecutionResult,
  ExecutionEngine,
  exec,
  isExecutionError,
  isTerminalEvent,
  script,
  shell,
} from 'execution-engine';

interface JobMeta extends Record<string, unknown> {
  jobId: string;
}

declare const maybeTimeout: number | undefined;
declare const maybeCwd: string | undefined;
declare const maybeDir: string | undefined;

const engine = new ExecutionEngine<JobMeta>({ maxConcurrentExecutions: 2, logDir: maybeDir });

export async function main(): Promise<string> {
  // Optional fields take maybe-undefined values under exactOptionalPropertyTypes.
  const result = await engine.run({
    command: exec('git', ['status']),
    timeoutMs: maybeTimeout,
    cwd: maybeCwd,
    metadata: { jobId: 'a' },
  });
  const job: string | undefined = result.metadata?.jobId;
  if (result.success) {
    const zero: 0 = result.exitCode;
    const completed: 'completed' = result.status;
    return String(zero) + completed + job;
  }
  switch (result.status) {
    case 'failed': {
      const code: ExecutionErrorCode = result.error.code;
      // @ts-expect-error: a typo in an error code does not compile
      if (result.error.code === 'SPAWN_FAILDE') return 'typo';
      return code;
    }
    case 'completed':
      return String(result.exitCode);
    case 'timeout':
    case 'cancelled':
      return result.status;
    default: {
      const never: never = result;
      return never;
    }
  }
}

export function onEvents(): void {
  engine.on('failed', (event) => console.log(event.result.error.message, event.metadata?.jobId));
  engine.on('event', (event) => {
    if (isTerminalEvent(event)) console.log(event.result.durationMs);
  });
  // @ts-expect-error: metadata must match JobMeta
  void engine.execute({ command: shell('true'), metadata: { jobId: 1 } });
  void engine.execute({ command: script('a.sh', { interpreter: maybeCwd }) });
}

export function describeError(error: unknown, result: ExecutionResult<JobMeta>): string {
  if (isExecutionError(error) && error.code === 'COMMAND_FAILED') return error.message;
  // @ts-expect-error: a result is never running
  if (result.status === 'running') return 'running';
  return result.status;
}
`;

const CONFIGS: Record<string, Record<string, unknown>> = {
  nodenext: {},
  es2015: { target: 'es2015' },
};

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'execution-engine-dts-'));
  const pkg = join(dir, 'node_modules', 'execution-engine');
  await mkdir(join(dir, 'node_modules', '@types'), { recursive: true });
  await symlink(bin('eventemitter3'), join(dir, 'node_modules', 'eventemitter3'), 'dir');
  await symlink(bin('@types/node'), join(dir, 'node_modules', '@types', 'node'), 'dir');
  // The package's own build (tsup.config.ts), declarations only, written outside dist/.
  await run(
    process.execPath,
    [bin('tsup/dist/cli-default.js'), '--dts-only', '--out-dir', join(pkg, 'dist')],
    {
      cwd: root,
    },
  );
  const manifest = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as Record<string, unknown>;
  const { name, type, types, exports } = manifest;
  await writeFile(join(pkg, 'package.json'), JSON.stringify({ name, type, types, exports }));
  await writeFile(
    join(dir, 'package.json'),
    JSON.stringify({ name: 'user-app', type: 'module', private: true }),
  );
  await writeFile(join(dir, 'user.ts'), USER_FILE);
  for (const [config, extra] of Object.entries(CONFIGS)) {
    const compilerOptions = {
      strict: true,
      exactOptionalPropertyTypes: true,
      module: 'nodenext',
      moduleResolution: 'nodenext',
      types: ['node'],
      noEmit: true,
      skipLibCheck: false,
      ...extra,
    };
    await writeFile(
      join(dir, `tsconfig.${config}.json`),
      JSON.stringify({ compilerOptions, files: ['user.ts'] }),
    );
  }
}, 120_000);

afterAll(async () => {
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

async function tsc(config: string): Promise<{ code: number; output: string }> {
  const args = [bin('typescript/bin/tsc'), '-p', join(dir, `tsconfig.${config}.json`), '--pretty', 'false'];
  try {
    const { stdout, stderr } = await run(process.execPath, args, { cwd: dir });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? 1, output: `${failed.stdout ?? ''}${failed.stderr ?? ''}` };
  }
}

describe('the published declarations compile in a user project', () => {
  test.each(Object.keys(CONFIGS))(
    'strict + exactOptionalPropertyTypes, module nodenext, target %s: no errors',
    async (config) => {
      // An unused `@ts-expect-error` is an error too: so the typo'd code, the wrong metadata and
      // the `'running'` result status above are proven not to compile.
      const { code, output } = await tsc(config);
      expect(output).toBe('');
      expect(code).toBe(0);
    },
    60_000,
  );
});
