#!/usr/bin/env node
// Usage: print-lines.js <n> [stream=stdout|stderr|both] [width]
// Prints the lines `line 1` ... `line <n>`, each padded with `.` to `width` characters if given,
// to stdout, stderr or both. Lines are written in large batches, waiting for 'drain' when a
// pipe is full, so a million lines take well under a second.
import { once } from 'node:events';

const count = Number(process.argv[2] ?? 10);
const which = process.argv[3] ?? 'stdout';
const width = Number(process.argv[4] ?? 0);
const streams = {
  stdout: [process.stdout],
  stderr: [process.stderr],
  both: [process.stdout, process.stderr],
}[which];
if (!Number.isInteger(count) || count < 0 || streams === undefined || !Number.isInteger(width)) {
  process.stderr.write('Usage: print-lines.js <n> [stdout|stderr|both] [width]\n');
  process.exit(2);
}
// A reader that went away (`| head`) ends the output; not an error.
for (const stream of streams) {
  stream.on('error', (error) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(0);
  });
}

const BATCH_CHARS = 64 * 1024;

async function write(text) {
  const full = streams.filter((stream) => !stream.write(text));
  await Promise.all(full.map((stream) => once(stream, 'drain')));
}

let batch = '';
for (let i = 1; i <= count; i++) {
  batch += `${`line ${i}`.padEnd(width, '.')}\n`;
  if (batch.length >= BATCH_CHARS) {
    await write(batch);
    batch = '';
  }
}
if (batch.length > 0) await write(batch);
