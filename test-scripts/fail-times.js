#!/usr/bin/env node
// Fails the first <failures> runs, then succeeds, counting runs in <counterFile> (create its
// directory; the test removes it). Each run prints `attempt <n>` to stdout and `err <n>` to stderr.
// Usage: fail-times.js <counterFile> <failures> [how]
// how: `exit:<code>` (default exit:1), `signal` (kills itself with SIGTERM), `hang` (sleeps
// until killed: for timeouts), `late:<ms>` (waits that long, then exits 1; succeeding runs
// wait too). A run past the failures prints and exits 0.
import { readFileSync, writeFileSync } from 'node:fs';

const [counter = '', failures = '0', how = 'exit:1'] = process.argv.slice(2);
let runs = 0;
try {
  runs = Number(readFileSync(counter, 'utf8'));
} catch {
  // first run
}
runs++;
writeFileSync(counter, String(runs));
process.stdout.write(`attempt ${runs}\n`);
process.stderr.write(`err ${runs}\n`);
const late = how.startsWith('late:') ? Number(how.slice('late:'.length)) : 0;
const end = (code) => (late > 0 ? setTimeout(() => process.exit(code), late) : process.exit(code));
if (runs > Number(failures)) end(0);
else if (late > 0) end(1);
else if (how === 'signal') process.kill(process.pid, 'SIGTERM');
else if (how === 'hang') setInterval(() => {}, 1000);
else process.exit(Number(how.slice('exit:'.length)));
