import { type ChildProcess, spawn } from 'node:child_process';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { buildCli } from './built-cli.js';

const children = new Set<ChildProcess>();
let built: Awaited<ReturnType<typeof buildCli>> | undefined;

/**
 * Builds the `execution-engine` command once for the test file (as published) and returns the
 * function giving its path; every process started with {@link startSidecar} is SIGKILLed after
 * each test if still running.
 */
export function useBuiltCli(): () => string {
  beforeAll(async () => {
    built = await buildCli();
  }, 120_000);
  afterAll(async () => {
    await built?.remove();
  });
  afterEach(() => {
    for (const child of children)
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    children.clear();
  });
  return () => {
    if (built === undefined) throw new Error('the CLI is not built yet');
    return built.bin;
  };
}

/** Spawns `command args` with piped stdio (and `extra` more pipes), killed after the test if still running. */
export function startSidecar(command: string, args: readonly string[], extra = 0): ChildProcess {
  const pipes = Array.from({ length: 3 + extra }, () => 'pipe' as const);
  const child = spawn(command, args, { stdio: pipes });
  children.add(child);
  return child;
}

/** The text a child writes to stderr, as it grows. */
export function stderrOf(child: ChildProcess): () => string {
  let text = '';
  child.stderr!.on('data', (chunk) => {
    text += String(chunk);
  });
  return () => text;
}
