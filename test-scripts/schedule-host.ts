// A host app with one schedule, for restart and exit tests.
// Usage: node --import tsx schedule-host.ts <journalDir|-> <cron> <catchUp> <marksFile> [keep]
// Schedules `tick` (a run appends `run` to <marksFile>) with `catchUp`, optionally on a journal.
// Prints `recovered <id> <schedule>` for each execution the previous host left with a schedule,
// `scheduled <epoch ms>` right after `schedule()` returned, and `started <id> <schedule>
// <occurrence ISO>` when a run's process is spawned (the occurrence is the schedule's lastRun).
// With `keep` it stays alive until killed; without, it does nothing more (and must exit by itself).
import { ExecutionEngine, shell } from '../src/index.js';

const [dir = '-', cron = '* * * * * *', catchUp = 'false', marks = '/dev/null', keep] = process.argv.slice(2);
const out = (line: string) => process.stdout.write(`${line}\n`);
const engine = new ExecutionEngine(dir === '-' ? {} : { journal: { dir } });
await engine.recover();
for (const execution of engine.list()) {
  if (execution.schedule !== undefined) out(`recovered ${execution.id} ${execution.schedule}`);
}
engine.on('started', (event) => {
  const occurrence = engine.listSchedules()[0]?.lastRun?.toISOString();
  out(`started ${event.executionId} ${event.schedule} ${occurrence}`);
});
engine.schedule('tick', cron, { command: shell(`echo run >> '${marks}'`) }, { catchUp: catchUp === 'true' });
out(`scheduled ${Date.now()}`);
if (keep === 'keep') setInterval(() => {}, 1000);
