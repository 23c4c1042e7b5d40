#!/usr/bin/env node
// Usage: journal-ticker.js <count> <intervalMs> <exitCode>
// Prints `tick <n>` to stdout (and `err <n>` to stderr) every intervalMs, count times, then exits.
const [count = '10', intervalMs = '50', exitCode = '0'] = process.argv.slice(2);
let n = 0;
const timer = setInterval(() => {
  n += 1;
  process.stdout.write(`tick ${n}\n`);
  process.stderr.write(`err ${n}\n`);
  if (n >= Number(count)) {
    clearInterval(timer);
    process.exitCode = Number(exitCode);
  }
}, Number(intervalMs));
