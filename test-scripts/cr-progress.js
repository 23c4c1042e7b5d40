#!/usr/bin/env node
// Usage: cr-progress.js [pauseMs=10]
// A progress bar: `10%\r20%\r...100%\n`, pausing after each step, then `done` without newline.
// Expected lines: `10%`, `20%`, ..., `100%`, `done`.
import { setTimeout as sleep } from 'node:timers/promises';

const pauseMs = Number(process.argv[2] ?? 10);

for (let percent = 10; percent <= 100; percent += 10) {
  process.stdout.write(`${percent}%${percent < 100 ? '\r' : '\n'}`);
  await sleep(pauseMs);
}
process.stdout.write('done');
