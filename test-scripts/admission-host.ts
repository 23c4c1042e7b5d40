// A host app for the keep-alive rules of admission.
// Usage: node --import tsx admission-host.ts <mode>
// `idle`: runs `true` in a group paced at one start a minute, then does nothing: it must exit at
// once (the group's pacing state keeps no ref'd timer). `paced`: queues two `true` in a group paced
// at 300 ms and a third with a queue timeout, without awaiting anything: the waiting work keeps it
// alive until every one has ended; prints each terminal event.
import { ExecutionEngine, exec } from '../src/index.js';

const [mode = 'idle'] = process.argv.slice(2);
const engine = new ExecutionEngine({
  maxConcurrentExecutions: 1,
  groups: { api: { minStartIntervalMs: mode === 'idle' ? 60_000 : 300 } },
});

if (mode === 'idle') {
  await engine.run({ command: exec('true'), group: 'api', queueTimeoutMs: 60_000 });
  process.stdout.write('idle\n');
} else {
  engine.on('event', (event) => {
    if (event.type === 'completed' || event.type === 'failed') {
      process.stdout.write(`${event.executionId} ${event.type}\n`);
    }
  });
  void engine.execute({ id: 'first', command: exec('true'), group: 'api' });
  void engine.execute({ id: 'second', command: exec('true'), group: 'api' });
  void engine.execute({ id: 'late', command: exec('sleep', ['0.1']), group: 'api', queueTimeoutMs: 100 });
}
