#!/usr/bin/env node
// Usage: invalid-utf8.js [pauseMs=10]
// Writes `ok\n`, then the invalid bytes 0xff 0xfe followed by `bad\n`, then the first two bytes
// of the three-byte character `世` and ends. Expected lines: `ok`, `\uFFFD\uFFFDbad`, `\uFFFD`.
import { setTimeout as sleep } from 'node:timers/promises';

const pauseMs = Number(process.argv[2] ?? 10);

process.stdout.write(Buffer.from('ok\n'));
await sleep(pauseMs);
process.stdout.write(Buffer.from([0xff, 0xfe, ...Buffer.from('bad\n')]));
await sleep(pauseMs);
process.stdout.write(Buffer.from([0xe4, 0xb8]));
