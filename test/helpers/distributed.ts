import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach } from 'vitest';
import {
  DistributedEngine,
  type DistributedEngineOptions,
  type WorkerOptions,
} from '../../src/bullmq/index.js';
import { fixture, node } from './fixtures.js';

/** A worker process started by {@link spawnWorker}. */
export interface WorkerProcess {
  id: string;
  child: ChildProcess;
  /** Lines it printed after `ready`. */
  lines: string[];
  /** SIGTERM (graceful close) and wait for its exit. */
  stop(): Promise<void>;
  /** SIGKILL and wait for its exit. */
  kill(): Promise<void>;
}

const workers = new Set<WorkerProcess>();
const engines = new Set<DistributedEngine>();

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('close', () => resolve()));
}

/** Starts `test-scripts/distributed-worker.ts` in a process of its own; resolves once it listens. */
export async function spawnWorker(options: WorkerOptions & { graceMs?: number }): Promise<WorkerProcess> {
  // A temp dir of its own (its engine's EXECUTION_OUTPUT files), removed even after a SIGKILL.
  const tmp = mkdtempSync(join(tmpdir(), 'ee-worker-'));
  const child = spawn(node, ['--import', 'tsx', fixture('distributed-worker.ts'), JSON.stringify(options)], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, TMPDIR: tmp },
  });
  child.once('close', () => rmSync(tmp, { recursive: true, force: true }));
  const lines: string[] = [];
  const reader = createInterface({ input: child.stdout as NonNullable<typeof child.stdout> });
  const id = await new Promise<string>((resolve, reject) => {
    reader.on('line', (line) => {
      if (line.startsWith('ready ')) resolve(line.slice(6));
      else lines.push(line);
    });
    child.once('exit', (code) => reject(new Error(`worker exited early (${code})`)));
  });
  const worker: WorkerProcess = {
    id,
    child,
    lines,
    async stop() {
      child.kill('SIGTERM');
      await exited(child);
      workers.delete(worker);
    },
    async kill() {
      child.kill('SIGKILL');
      await exited(child);
      workers.delete(worker);
    },
  };
  workers.add(worker);
  return worker;
}

/** A DistributedEngine shut down after the test. */
export function createDistributedEngine(options: DistributedEngineOptions): DistributedEngine {
  const engine = new DistributedEngine(options);
  engines.add(engine);
  return engine;
}

/**
 * Closes the workers of the test (SIGTERM: what still runs is cancelled, its process tree
 * terminated; SIGKILL after 10 s) and shuts down its engines.
 */
export async function cleanUpDistributed(): Promise<void> {
  const all = [...workers];
  workers.clear();
  await Promise.all(
    all.map(async (worker) => {
      const timer = setTimeout(() => worker.child.kill('SIGKILL'), 10_000);
      await worker.stop();
      clearTimeout(timer);
    }),
  );
  const open = [...engines];
  engines.clear();
  await Promise.all(open.map((engine) => engine.shutdown()));
}

afterEach(cleanUpDistributed);
