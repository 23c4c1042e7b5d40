#!/usr/bin/env node
// Usage: prompt-echo.js
// Prompts `name? ` on stdout and answers each line read from stdin with `hello <line>` and a new
// prompt, until EOF; then prints `bye` and exits 0. For the `stdin: 'pipe'` tests.
import { createInterface } from 'node:readline';

process.stdout.write('name? ');
const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => {
  process.stdout.write(`hello ${line}\nname? `);
});
lines.on('close', () => {
  process.stdout.write('\nbye\n');
  process.exitCode = 0;
});
