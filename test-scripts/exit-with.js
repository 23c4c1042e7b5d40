#!/usr/bin/env node
// Prints `exiting <code>` to stderr and exits with the given code (default 0).
// Usage: exit-with.js <code>
const code = Number(process.argv[2] ?? 0);
process.stderr.write(`exiting ${code}\n`);
process.exit(code);
