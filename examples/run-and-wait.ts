/**
 * Script style: `await engine.run()` and handle failures with try/catch.
 *
 *   npx tsx examples/run-and-wait.ts
 *
 * `run()` is `execute()` + `waitForCompletion()`: it resolves with the result when the command
 * succeeds (exit code 0) and rejects with `CommandFailedError` otherwise. The error carries the
 * full result, and its `cause` is the specific error where there is one (`SpawnError` when the
 * program could not start).
 */
import {
  CommandFailedError,
  ExecutionEngine,
  exec,
  isExecutionError,
  SpawnError,
  shell,
  WaitTimeoutError,
} from 'execution-engine';

const engine = new ExecutionEngine({ killGraceMs: 1000 });

// 1. The happy path: the result has stdout (lines joined with '\n'), exit code, timings...
const version = await engine.run({ command: exec(process.execPath, ['--version']) });
console.log(`node ${version.stdout} (exit code ${version.exitCode}, ${version.durationMs} ms)`);

// `input` is written to the process's stdin, which is then closed.
const sorted = await engine.run({ command: exec('sort'), input: 'pear\napple\nfig\n' });
console.log(`sorted: ${sorted.stdout.split('\n').join(', ')}`);

// 2. A non-zero exit code: `run` rejects with CommandFailedError carrying the result.
try {
  await engine.run({ command: shell('echo "partial output"; echo "bad input" >&2; exit 3') });
} catch (err) {
  if (!(err instanceof CommandFailedError)) throw err;
  const { status, exitCode, stdout, stderr } = err.result;
  console.log(`failed as expected: ${err.message}`);
  console.log(
    `  status=${status} exitCode=${exitCode} stdout=${JSON.stringify(stdout)} stderr=${JSON.stringify(stderr)}`,
  );
}

// 3. A program that does not exist. `execute` never throws for this: the execution ends
//    `failed` with error.code 'SPAWN_FAILED', and `run` rejects with a CommandFailedError
//    whose `cause` is the SpawnError.
try {
  await engine.run({ command: exec('surely-not-installed-anywhere') });
} catch (err) {
  if (err instanceof CommandFailedError && err.cause instanceof SpawnError) {
    console.log(`could not start: ${err.cause.message}`);
    console.log(`  result.error = ${JSON.stringify(err.result.error)}`);
  } else {
    throw err;
  }
}

// 4. A timeout ends the execution with status 'timeout'; `run` rejects, the result says why.
try {
  await engine.run({ command: exec('sleep', ['10']), timeoutMs: 300 });
} catch (err) {
  // isExecutionError() recognises every error of this library (even from another copy of it).
  if (isExecutionError(err) && err instanceof CommandFailedError) {
    console.log(`timed out: status=${err.result.status} signal=${err.result.signal}`);
  } else {
    throw err;
  }
}

// 5. Waiting with a limit of your own: WaitTimeoutError means *you* stopped waiting; the
//    execution keeps running until you cancel it (or its own timeout passes).
const id = await engine.execute({ command: exec('sleep', ['10']) });
try {
  await engine.waitForCompletion(id, { timeoutMs: 200 });
} catch (err) {
  if (!(err instanceof WaitTimeoutError)) throw err;
  console.log(`stopped waiting; the execution is still ${engine.getStatus(id)}`);
  await engine.cancel(id, 'no longer needed');
  console.log(`after cancel: ${engine.getStatus(id)}`);
}

// `waitForCompletion` (unlike `run`) resolves for every terminal status, failures included.
const result = await engine.waitForCompletion(id);
console.log(`final result: status=${result.status} success=${result.success}`);

await engine.shutdown();
