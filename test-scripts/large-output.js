#!/usr/bin/env node
// Usage: large-output.js <bytes> [stream=stdout|stderr|both]
// Writes <bytes> pseudo-random bytes (any value, so newlines, `\r` and invalid UTF-8 included)
// from a fixed seed, so every run writes the same data. 64 KiB writes, waiting for 'drain'.
import { once } from 'node:events';

const total = Number(process.argv[2] ?? 1024);
const which = process.argv[3] ?? 'stdout';
const streams = {
  stdout: [process.stdout],
  stderr: [process.stderr],
  both: [process.stdout, process.stderr],
}[which];
if (!Number.isInteger(total) || total < 0 || streams === undefined) {
  process.stderr.write('Usage: large-output.js <bytes> [stdout|stderr|both]\n');
  process.exit(2);
}
// A reader that went away (`| head`) ends the output; not an error.
for (const stream of streams) {
  stream.on('error', (error) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(0);
  });
}

const CHUNK_BYTES = 64 * 1024;
// xorshift32 with a fixed seed.
let state = 0x9e3779b9;

for (let written = 0; written < total; written += CHUNK_BYTES) {
  // A fresh buffer each time: a written buffer may not be reused until it is flushed.
  const chunk = Buffer.allocUnsafe(Math.min(CHUNK_BYTES, total - written));
  for (let i = 0; i < chunk.length; i++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    chunk[i] = state & 0xff;
  }
  const full = streams.filter((stream) => !stream.write(chunk));
  await Promise.all(full.map((stream) => once(stream, 'drain')));
}
