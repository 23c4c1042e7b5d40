// A host that owns a journal, for lock tests.
// Usage: node --import tsx journal-owner.ts <journalDir> <runsFile> <count>
// Opens an engine with one slot on <journalDir> and submits <count> executions, each of which
// appends its id to <runsFile> and then sleeps; prints `ready` once they are submitted (or
// `locked` if the journal is someone else's), then holds on until its stdin ends, and shuts down
// killing what still runs.
import { ExecutionEngine, exec } from '../src/index.js';

const [dir = '.', runsFile = '/dev/null', count = '0'] = process.argv.slice(2);
const engine = new ExecutionEngine({ journal: { dir }, maxConcurrentExecutions: 1, killGraceMs: 200 });
try {
  await engine.recover();
} catch (error) {
  process.stdout.write(
    `${(error as { code?: string }).code === 'JOURNAL_LOCKED' ? 'locked' : String(error)}\n`,
  );
  process.exit(0);
}
for (let i = 0; i < Number(count); i++) {
  const script = 'printf "%s\\n" "$1" >> "$2"; exec sleep 30';
  await engine.execute({
    id: `run-${i}`,
    command: exec('/bin/sh', ['-c', script, 'sh', `run-${i}`, runsFile]),
  });
}
process.stdout.write('ready\n');
process.stdin.resume();
process.stdin.on('end', () => {
  void engine.shutdown({ graceMs: 0 }).then(() => process.exit(0));
});
