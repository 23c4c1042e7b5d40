#!/usr/bin/env node
// Usage: print-then-wait.js <n> [partial]
// Prints `line 1` ... `line <n>` to stdout and `err 1` ... `err <n>` to stderr, then <partial>
// (if given) to stdout without a newline, then waits until it is killed. For live snapshots.
const count = Number(process.argv[2] ?? 10);
const partial = process.argv[3] ?? '';

let out = '';
let err = '';
for (let i = 1; i <= count; i++) {
  out += `line ${i}\n`;
  err += `err ${i}\n`;
}
process.stdout.write(out + partial);
process.stderr.write(err);
setInterval(() => {}, 1000);
