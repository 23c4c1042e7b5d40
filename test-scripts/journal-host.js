#!/usr/bin/env node
// Usage: journal-host.js '<json {file, args}>'
// Plays an engine host: spawns the given (wrapper) command detached, with no pipes, prints
// `<pid>\n` of the child, then stays alive until killed (the test SIGKILLs it).
import { spawn } from 'node:child_process';

const { file, args } = JSON.parse(process.argv[2] ?? '{}');
const child = spawn(file, args, { detached: true, stdio: 'ignore' });
child.on('error', (error) => {
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
});
child.on('spawn', () => process.stdout.write(`${child.pid}\n`));
setInterval(() => {}, 1000);
