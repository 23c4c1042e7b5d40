#!/usr/bin/env node
// Usage: print-args.js [lines...]
// Prints each argument as it is, as one line of stdout.
process.stdout.write(
  process.argv
    .slice(2)
    .map((line) => `${line}\n`)
    .join(''),
);
