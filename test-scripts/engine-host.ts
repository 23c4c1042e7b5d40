// A host app for exit tests.
// Usage: node --import tsx engine-host.ts <mode> [killOnExit=true] [journalDir]
// Modes: `exit` starts a process tree, prints its pids as JSON, then calls process.exit(0);
// `signal` does the same and then waits to be signalled; `idle` runs `true` and then does nothing.
import { ExecutionEngine, exec } from '../src/index.js';

const [mode = 'idle', killOnExit = 'true', journalDir] = process.argv.slice(2);
const engine = new ExecutionEngine({
  killOnExit: killOnExit === 'true',
  ...(journalDir === undefined ? {} : { journal: { dir: journalDir } }),
});
const here = new URL('.', import.meta.url).pathname;

if (mode === 'idle') {
  await engine.run({ command: exec('true') });
  process.stdout.write('idle\n');
} else {
  engine.on('stdout', (event) => {
    if (!event.line.startsWith('grandchild')) return;
    const pid = engine.getExecution(event.executionId).pid;
    process.stdout.write(`${JSON.stringify({ pid, grandchild: Number(event.line.split(' ')[1]) })}\n`);
    if (mode === 'exit') process.exit(0);
  });
  await engine.execute({ command: exec(`${here}spawn-grandchild.sh`, ['30']) });
}
