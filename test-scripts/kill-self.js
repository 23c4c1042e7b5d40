#!/usr/bin/env node
// Kills itself with the given signal (default SIGKILL): a death the engine did not cause.
process.kill(process.pid, process.argv[2] ?? 'SIGKILL');
