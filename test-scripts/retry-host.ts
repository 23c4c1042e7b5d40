// A host app whose one execution retries, for crash tests. The test SIGKILLs it at any moment.
// Usage: node --import tsx retry-host.ts <journalDir> <counterFile> <failures> <how> <attempts> <delayMs>
// Runs `fail-times.js <counterFile> <failures> <how>` as execution `job` with
// `retry: { attempts, delayMs, backoff: 'fixed', jitter: false }` and prints, one per line:
// `started <attempt> <pid>`, `stdout <line>`, `retrying <attempt> <delayMs>`, `ended <status>`.
import { fileURLToPath } from 'node:url';
import { ExecutionEngine, exec } from '../src/index.js';

const [dir = '', counter = '', failures = '1', how = 'exit:1', attempts = '2', delayMs = '1000'] =
  process.argv.slice(2);
const engine = new ExecutionEngine({ journal: { dir } });
await engine.recover();
const say = (line: string) => process.stdout.write(`${line}\n`);
engine.on('started', (event) => say(`started ${event.attempt} ${event.pid}`));
engine.on('stdout', (event) => say(`stdout ${event.line}`));
engine.on('retrying', (event) => say(`retrying ${event.attempt} ${event.delayMs}`));
const script = fileURLToPath(new URL('fail-times.js', import.meta.url));
const id = await engine.execute({
  id: 'job',
  command: exec(process.execPath, [script, counter, failures, how]),
  retry: { attempts: Number(attempts), delayMs: Number(delayMs), backoff: 'fixed', jitter: false },
});
const result = await engine.waitForCompletion(id);
say(`ended ${result.status}`);
setInterval(() => {}, 1000);
