#!/usr/bin/env node
// Usage: split-multibyte.js [pauseMs=5]
// Writes `héllo 世界 🎉\n` to stdout one byte at a time, pausing inside every multi-byte
// character so that it is split across chunks. Expected line: `héllo 世界 🎉`.
import { setTimeout as sleep } from 'node:timers/promises';

const pauseMs = Number(process.argv[2] ?? 5);
const bytes = Buffer.from('héllo 世界 🎉\n');

for (let i = 0; i < bytes.length; i++) {
  process.stdout.write(bytes.subarray(i, i + 1));
  const next = bytes[i + 1];
  // A continuation byte (10xxxxxx) follows: we are inside a character.
  if (next !== undefined && (next & 0xc0) === 0x80) await sleep(pauseMs);
}
