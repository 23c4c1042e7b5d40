#!/usr/bin/env node
// Usage: sidecar-parent.js <execution-engine bin>
// An app that runs the engine as a sidecar: spawns `execution-engine serve --stdio` reading its
// requests from this process's fd 3 and sharing its stdout and stderr, so whoever started this
// app (holding fd 3's other end) talks to the sidecar directly. Then waits until it is killed.
// Killing this process with SIGKILL leaves the sidecar's stdin open: only the sidecar noticing
// that its parent is gone can end it.
import { spawn } from 'node:child_process';

const bin = process.argv[2];
if (bin === undefined) {
  process.stderr.write('Usage: sidecar-parent.js <execution-engine bin>\n');
  process.exit(2);
}
spawn(bin, ['serve', '--stdio'], { stdio: [3, 'inherit', 'inherit'] });
setInterval(() => {}, 1000);
