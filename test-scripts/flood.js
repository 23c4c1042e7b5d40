#!/usr/bin/env node
// Usage: flood.js [stream=stdout|stderr|both] [grandchild]
// Prints `line 1`, `line 2`, ... forever (waiting for 'drain' when a pipe is full) until killed.
// With `grandchild`, first starts `sleep 60` in the same process group and prints
// `grandchild <pid>` to stdout, so a test can check that the whole group was terminated.
import { spawn } from 'node:child_process';
import { once } from 'node:events';

const which = process.argv[2] ?? 'stdout';
const streams = {
  stdout: [process.stdout],
  stderr: [process.stderr],
  both: [process.stdout, process.stderr],
}[which];
if (streams === undefined) {
  process.stderr.write('Usage: flood.js [stdout|stderr|both] [grandchild]\n');
  process.exit(2);
}
// A reader that went away ends the output; not an error.
for (const stream of streams) {
  stream.on('error', (error) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(0);
  });
}

if (process.argv[3] === 'grandchild') {
  const grandchild = spawn('sleep', ['60'], { stdio: 'ignore' });
  process.stdout.write(`grandchild ${grandchild.pid}\n`);
}

for (let i = 1; ; ) {
  let batch = '';
  while (batch.length < 16 * 1024) batch += `line ${i++}\n`;
  const full = streams.filter((stream) => !stream.write(batch));
  await Promise.all(full.map((stream) => once(stream, 'drain')));
}
