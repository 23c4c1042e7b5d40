#!/usr/bin/env node
// Ignores SIGTERM (and SIGINT) and runs until killed. Prints `ready` once its handlers are installed.
process.on('SIGTERM', () => {});
process.on('SIGINT', () => {});
setInterval(() => {}, 1000);
process.stdout.write('ready\n');
