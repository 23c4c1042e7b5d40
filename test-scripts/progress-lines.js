#!/usr/bin/env node
// Usage: progress-lines.js <kind> <count> [pauseMs=0] [stream=stdout] [holdMs=0]
// Prints <count> progress steps, pausing <pauseMs> after each (0: all in one burst), to stdout or
// stderr, waits <holdMs>, then prints `done`. Kinds:
//   bar       a progress bar redrawn in place: `[##   ] 40%` ending in a lone `\r` (the last `\n`)
//   fraction  `[3/12] step 3`
//   json      `{"current":3,"total":12,"message":"item 3"}`, each after a plain `log 3` line
import { setTimeout as sleep } from 'node:timers/promises';

const [kind = 'bar', countArg = '10', pauseArg = '0', streamName = 'stdout', holdArg = '0'] =
  process.argv.slice(2);
const count = Number(countArg);
const pauseMs = Number(pauseArg);
const out = streamName === 'stderr' ? process.stderr : process.stdout;

function step(i) {
  switch (kind) {
    case 'bar': {
      const percent = Math.round((i / count) * 100);
      const filled = Math.round(percent / 10);
      return `[${'#'.repeat(filled)}${' '.repeat(10 - filled)}] ${percent}%${i < count ? '\r' : '\n'}`;
    }
    case 'fraction':
      return `[${i}/${count}] step ${i}\n`;
    case 'json':
      return `log ${i}\n${JSON.stringify({ current: i, total: count, message: `item ${i}` })}\n`;
    default:
      throw new Error(`unknown kind ${kind}`);
  }
}

if (pauseMs === 0) {
  let text = '';
  for (let i = 1; i <= count; i++) text += step(i);
  out.write(text);
} else {
  for (let i = 1; i <= count; i++) {
    out.write(step(i));
    await sleep(pauseMs);
  }
}
await sleep(Number(holdArg));
out.write('done\n');
