#!/usr/bin/env node
// Prints each of its arguments as one JSON line, so a test can see exactly what arrived.
// Usage: print-argv.js [args...]
for (const arg of process.argv.slice(2)) process.stdout.write(`${JSON.stringify(arg)}\n`);
