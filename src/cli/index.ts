#!/usr/bin/env node
// The `execution-engine` command. Everything is in main.ts; this file only runs it.
import { main } from './main.js';

main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr }).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`execution-engine: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
