import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ExecutionEngine, JournalRecord } from '../../../src/index.js';

const engines: ExecutionEngine[] = [];

/** Remembers `engine` so that {@link shutDownEngines} shuts it down after the test; returns it. */
export function trackEngine(engine: ExecutionEngine): ExecutionEngine {
  engines.push(engine);
  return engine;
}

/**
 * Shuts down, killing what still runs, every engine tracked so far. Call it in `afterEach` before
 * the test's directories are removed: closing a journal writes to its directory.
 */
export async function shutDownEngines(): Promise<void> {
  await Promise.all(engines.splice(0).map((engine) => engine.shutdown({ graceMs: 0 })));
}

/** The record file `<dir>/<id>.json` as stored. */
export async function readRecord(dir: string, id: string): Promise<JournalRecord> {
  return JSON.parse(await readFile(join(dir, `${id}.json`), 'utf8')) as JournalRecord;
}
