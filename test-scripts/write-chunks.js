#!/usr/bin/env node
// Usage: write-chunks.js <pauseMs> <out|err>:<hex>...
// Writes each chunk, given as hex bytes, to stdout (`out`) or stderr (`err`) in the given order,
// pausing <pauseMs> after each, so that each write arrives as a chunk of its own. Exact control
// over bytes and chunk boundaries: `write-chunks.js 30 out:61e4 err:0a out:b8960a`.
import { setTimeout as sleep } from 'node:timers/promises';

const [pause, ...chunks] = process.argv.slice(2);
const pauseMs = Number(pause);
const streams = { out: process.stdout, err: process.stderr };
const parsed = chunks.map((arg) => {
  const [name, hex = ''] = arg.split(':');
  return { stream: streams[name], bytes: Buffer.from(hex, 'hex') };
});
if (!Number.isInteger(pauseMs) || parsed.some((chunk) => chunk.stream === undefined)) {
  process.stderr.write('Usage: write-chunks.js <pauseMs> <out|err>:<hex>...\n');
  process.exit(2);
}

for (const { stream, bytes } of parsed) {
  await new Promise((resolve) => stream.write(bytes, resolve));
  await sleep(pauseMs);
}
