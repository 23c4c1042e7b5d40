#!/usr/bin/env node
// Usage: partial-lines.js [pauseMs=30]
// Writes `hel`, `lo\nwor`, `ld` to stdout with pauses between, so lines arrive split across
// chunks and the last one has no newline. Expected lines: `hello`, `world`.
import { setTimeout as sleep } from 'node:timers/promises';

const pauseMs = Number(process.argv[2] ?? 30);

process.stdout.write('hel');
await sleep(pauseMs);
process.stdout.write('lo\nwor');
await sleep(pauseMs);
process.stdout.write('ld');
