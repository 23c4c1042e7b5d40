/**
 * Everything the harness starts (child processes, engines, temp files) is registered here so it
 * can be torn down on success, on failure, on Ctrl-C and on `process.exit()`.
 */
import { rmSync } from 'node:fs';
import { rm } from 'node:fs/promises';

/** @type {Set<import('node:child_process').ChildProcess>} */
const children = new Set();
/** @type {Set<{ shutdown(options?: { graceMs?: number, kill?: boolean }): Promise<void> }>} */
const engines = new Set();
/** @type {Set<string>} */
const paths = new Set();

/**
 * Registers a child process until it exits.
 * @template {import('node:child_process').ChildProcess} T
 * @param {T} child
 * @returns {T}
 */
export function trackChild(child) {
  if (child.exitCode !== null || child.signalCode !== null) return child;
  children.add(child);
  child.once('exit', () => children.delete(child));
  child.once('error', () => children.delete(child));
  return child;
}

/**
 * Registers an engine until {@link closeEngine}.
 * @template {{ shutdown(options?: { graceMs?: number, kill?: boolean }): Promise<void> }} E
 * @param {E} engine
 * @returns {E}
 */
export function trackEngine(engine) {
  engines.add(engine);
  return engine;
}

/**
 * Shuts an engine down, killing whatever it still runs, and forgets it.
 * @param {{ shutdown(options?: { graceMs?: number, kill?: boolean }): Promise<void> }} engine
 * @returns {Promise<void>}
 */
export async function closeEngine(engine) {
  engines.delete(engine);
  await engine.shutdown({ graceMs: 0, kill: true });
}

/**
 * Registers a file or directory to delete at the end.
 * @param {string} path
 * @returns {string}
 */
export function trackPath(path) {
  paths.add(path);
  return path;
}

/**
 * Deletes a registered path now.
 * @param {string} path
 * @returns {Promise<void>}
 */
export async function removePath(path) {
  await rm(path, { recursive: true, force: true });
  paths.delete(path);
}

/** @returns {number} live child processes started by the harness itself */
export function liveChildren() {
  return children.size;
}

/**
 * Shuts down every engine and kills every child (after a failed workload). Never throws;
 * returns the problems it met.
 * @returns {Promise<string[]>}
 */
export async function stopProcesses() {
  /** @type {string[]} */
  const problems = [];
  for (const engine of [...engines]) {
    try {
      await Promise.race([closeEngine(engine), new Promise((r) => setTimeout(r, 10_000).unref())]);
    } catch (error) {
      problems.push(`engine shutdown: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  killChildren();
  return problems;
}

/**
 * Async teardown: {@link stopProcesses}, then deletes every temp path. Never throws; returns the
 * problems it met.
 * @returns {Promise<string[]>}
 */
export async function cleanupAll() {
  const problems = await stopProcesses();
  for (const path of [...paths]) {
    try {
      await removePath(path);
    } catch (error) {
      problems.push(`rm ${path}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return problems;
}

/** SIGKILLs every registered child that is still running. */
function killChildren() {
  for (const child of children) {
    try {
      child.kill('SIGKILL');
    } catch {
      // already gone
    }
  }
  children.clear();
}

/** Synchronous last resort for the `exit` event: kill children, delete temp paths. */
export function cleanupSync() {
  killChildren();
  for (const path of paths) rmSync(path, { recursive: true, force: true });
  paths.clear();
}

/**
 * Installs exit and signal handlers that tear everything down. On a signal the teardown runs,
 * then the process exits with 128 + signal number; a repeated signal (a terminal delivers Ctrl-C
 * to both this process and the parent that re-executed it) does not cut the teardown short.
 */
export function installExitHandlers() {
  process.once('exit', cleanupSync);
  /** @type {Record<string, number>} */
  const codes = { SIGINT: 2, SIGTERM: 15, SIGHUP: 1 };
  let stopping = false;
  for (const [signal, number] of Object.entries(codes)) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      console.error(`\nbench: ${signal} received, cleaning up…`);
      cleanupAll().finally(() => process.exit(128 + number));
    });
  }
}
