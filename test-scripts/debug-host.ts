// A host app for debug logging tests: runs `true` (completed), `exit-with.js 3` after one retry
// (two attempts), a missing program (spawn failure) and a cancelled `sleep`, then prints `done`.
// Usage: node --import tsx debug-host.ts   (with or without NODE_DEBUG=execution-engine)
import { ExecutionEngine, exec } from '../src/index.js';

const engine = new ExecutionEngine({ maxConcurrentExecutions: 1 });
const exitWith = new URL('./exit-with.js', import.meta.url).pathname;
await engine.run({ id: 'ok', command: exec('true') });
const retry = { attempts: 2, delayMs: 10, jitter: false };
await engine.run({ id: 'fails', command: exec(process.execPath, [exitWith, '3']), retry }).catch(() => {});
await engine.run({ id: 'missing', command: exec('/nonexistent/program') }).catch(() => {});
const sleeping = await engine.execute({ id: 'sleeps', command: exec('sleep', ['30']) });
const queued = await engine.execute({ id: 'waits', command: exec('true') });
await engine.cancel(queued);
await engine.cancel(sleeping);
await engine.shutdown();
process.stdout.write('done\n');
