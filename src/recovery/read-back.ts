import { open } from 'node:fs/promises';
import { OutputCapture } from '../capture/output-capture.js';
import type { OutputStream } from '../capture/stream-lines.js';
import type { EndedAttempt } from '../execution/attempt.js';
import type { RunOutcome } from '../execution/process-driver.js';
import { readOutputFile } from '../io/output-values.js';
import type { JournalFiles, JournalRecord } from '../journal/journal-types.js';
import type { Lifecycle } from '../run/lifecycle.js';
import type { ExecutionRecord } from '../state/execution-record.js';
import { makeEvent } from '../state/make-event.js';
import { isTerminal, type TerminalStatus } from '../types.js';

/** Feeds a whole file to `onChunk` in 64 KiB pieces; a missing file is empty. */
async function readChunks(path: string, onChunk: (chunk: Buffer) => void): Promise<void> {
  const handle = await open(path, 'r').catch(() => undefined);
  if (handle === undefined) return;
  try {
    const buffer = Buffer.allocUnsafe(64 * 1024);
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) return;
      onChunk(Buffer.from(buffer.subarray(0, bytesRead)));
    }
  } finally {
    await handle.close();
  }
}

/** Reads an execution's log files through output capture (lines, limits, events). */
async function captureFiles(
  record: ExecutionRecord,
  files: JournalFiles,
  lifecycle: Lifecycle,
  emit: boolean,
) {
  const { config } = lifecycle;
  const { maxOutputSizeBytes: limitBytes, oversizedOutputStrategy: strategy } = config;
  const capture = new OutputCapture(record, {
    ...config,
    logDir: undefined,
    streamOutput: emit && config.streamOutput,
    bus: lifecycle.bus,
    // Output a previous host's process wrote: not counted in this engine's `outputBytes`.
    outputBytes: { stdout: 0, stderr: 0 },
    onLimit: () => {
      if (emit) lifecycle.emit(record, makeEvent(record, 'outputTruncated', { limitBytes, strategy }));
    },
    onPressure: () => {},
  });
  for (const [stream, path] of [
    ['stdout', files.stdoutLog],
    ['stderr', files.stderrLog],
  ] as [OutputStream, string][]) {
    await readChunks(path, (chunk) => capture.write(stream, chunk));
  }
  await capture.end();
}

/**
 * Settles a recovered execution whose process is gone: its output is read back from its log files
 * (emitting line events, stdout first, then stderr), then it ends with `outcome`, or as cancelled
 * for `cancelReason` (one never started).
 */
export async function readBack(
  record: ExecutionRecord,
  stored: JournalRecord,
  files: JournalFiles,
  lifecycle: Lifecycle,
  outcome: RunOutcome,
  cancelReason?: string,
): Promise<void> {
  // One that was running had an attempt, even if its pid never reached the journal.
  lifecycle.readBack(record, stored.status === 'running' ? latestAttempt(stored) : undefined);
  await captureFiles(record, files, lifecycle, true);
  // A process that ended while no host ran may have written outputs: its file is still there.
  if (files.output !== undefined && stored.status === 'running') {
    record.outputs = await readOutputFile(files.output, false);
  }
  lifecycle.settle(record, outcome, cancelReason === undefined ? undefined : ['cancel', cancelReason]);
}

/**
 * Restores an execution that was already terminal when its host stopped, without events: its
 * result comes from the record and its output from its log files, so it is retained (and in
 * time removed by retention, with its files) like any other.
 */
export async function restoreTerminal(
  record: ExecutionRecord,
  stored: JournalRecord,
  files: JournalFiles,
  lifecycle: Lifecycle,
): Promise<void> {
  await captureFiles(record, files, lifecycle, false);
  lifecycle.restore(record, {
    status: stored.status,
    exitCode: stored.exitCode ?? null,
    signal: stored.signal ?? null,
    error: stored.error,
    completedAt: new Date(stored.completedAt ?? stored.createdAt),
    ...latestAttempt(stored),
    attempts: endedAttempts(stored),
  });
}

/**
 * The pid and start time of a stored record's latest attempt (a version 1 record has one at top
 * level). For one not terminal whose last stored attempt has ended, a retry was starting: its
 * process is only at top level (found by recovery), if anywhere.
 */
export function latestAttempt(stored: JournalRecord): { pid?: number; startedAt?: Date } {
  const last = stored.attempts?.at(-1);
  const ended = last?.completedAt !== undefined && !isTerminal(stored.status);
  const attempt = ended ? undefined : last;
  const pid = attempt?.pid ?? stored.pid;
  const startedAt = attempt?.startedAt ?? stored.startedAt;
  return {
    ...(pid === undefined ? {} : { pid }),
    ...(startedAt === undefined ? {} : { startedAt: new Date(startedAt) }),
  };
}

/**
 * The attempts of a stored record that ended, oldest first, for the state machine. An attempt
 * stored without its status (written before retries existed) was the one and last: the record's
 * status is its status.
 */
export function endedAttempts(stored: JournalRecord): EndedAttempt[] {
  const out: EndedAttempt[] = [];
  for (const attempt of stored.attempts ?? []) {
    if (attempt.completedAt === undefined) continue;
    const fallback: TerminalStatus = isTerminal(stored.status)
      ? stored.status
      : attempt.error === undefined
        ? 'completed'
        : 'failed';
    out.push({
      number: attempt.number,
      pid: attempt.pid,
      startedAt: attempt.startedAt === undefined ? undefined : new Date(attempt.startedAt),
      completedAt: new Date(attempt.completedAt),
      exitCode: attempt.exitCode ?? null,
      signal: attempt.signal ?? null,
      error: attempt.error,
      status: attempt.status ?? fallback,
    });
  }
  return out;
}
