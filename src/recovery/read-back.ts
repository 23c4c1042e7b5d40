import { open } from 'node:fs/promises';
import { makeEvent } from '../events/make-event.js';
import { terminalEvent } from '../events/terminal-event.js';
import { OutputCapture } from '../io/output-capture.js';
import type { OutputStream } from '../io/stream-lines.js';
import type { RunOutcome } from '../run/execution-run.js';
import type { Lifecycle } from '../run/lifecycle.js';
import type { ExecutionRecord } from '../state/execution-record.js';
import type { ExecutionStatus } from '../types.js';
import type { JournalFiles, JournalRecord } from './journal-types.js';

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
  record.outputLimitBytes = limitBytes;
  const capture = new OutputCapture(record, {
    ...config,
    logDir: undefined,
    streamOutput: emit && config.streamOutput,
    bus: lifecycle.bus,
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
 * (emitting line events, stdout first, then stderr), then it ends with `outcome`.
 */
export async function readBack(
  record: ExecutionRecord,
  files: JournalFiles,
  lifecycle: Lifecycle,
  outcome: RunOutcome,
): Promise<void> {
  record.status = 'running';
  await captureFiles(record, files, lifecycle, true);
  lifecycle.finish(record, outcome, false);
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
  record.status = stored.status as ExecutionStatus;
  record.exitCode = stored.exitCode ?? null;
  record.signal = stored.signal ?? null;
  record.error = stored.error;
  const result = record.finish(new Date(stored.completedAt ?? stored.createdAt));
  lifecycle.registry.markTerminal(record);
  record.log.addControl(terminalEvent(record, result));
}
