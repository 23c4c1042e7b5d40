#!/usr/bin/env node
// Usage: crlf.js [pauseMs=30]
// stdout: `a\r`, a pause, then `\nb\r\n`: a `\r\n` split across two chunks is one line break.
// stderr: `x\r\ny\r\n`. Expected lines: stdout `a`, `b`; stderr `x`, `y`.
import { setTimeout as sleep } from 'node:timers/promises';

const pauseMs = Number(process.argv[2] ?? 30);

process.stderr.write('x\r\ny\r\n');
process.stdout.write('a\r');
await sleep(pauseMs);
process.stdout.write('\nb\r\n');
