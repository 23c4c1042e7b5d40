// A host app that journals its executions, for crash tests. The test SIGKILLs it at any moment.
// Usage: node --import tsx crash-host.ts <journalDir> <markDir> <count> [concurrency]
// Job i appends `start` to <markDir>/job-i when it starts (so a second run would show), prints
// `line 0`..`line 5` 50 ms apart, then exits with code i % 4. The host prints `queued job-i` once
// `execute` has resolved (the job is then durably journaled), `started job-i` when its process
// is spawned, and `all queued` at the end.
import { ExecutionEngine, shell } from '../src/index.js';

const [dir = '', markDir = '', count = '4', concurrency = '2'] = process.argv.slice(2);
const engine = new ExecutionEngine({ journal: { dir }, maxConcurrentExecutions: Number(concurrency) });
await engine.recover();
engine.on('started', (event) => process.stdout.write(`started ${event.executionId}\n`));
for (let i = 0; i < Number(count); i++) {
  const script = `echo start >> ${markDir}/job-${i}; n=0; while [ $n -lt 6 ]; do echo "line $n"; n=$((n+1)); sleep 0.05; done; exit ${i % 4}`;
  await engine.execute({ id: `job-${i}`, command: shell(script) });
  process.stdout.write(`queued job-${i}\n`);
}
process.stdout.write('all queued\n');
setInterval(() => {}, 1000);
