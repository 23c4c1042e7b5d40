/**
 * A job that survives its host being killed, and is recovered by the next start.
 *
 *   npx tsx examples/durable-jobs.ts           # the whole story, in one run
 *   npx tsx examples/durable-jobs.ts --host    # just the host: start it, `kill -9` it, start it again
 *
 * With `journal: { dir }`, every execution is recorded on disk before `execute` resolves, and its
 * process runs under a tiny wrapper that writes its output to log files and its exit code to an
 * exit file. Kill the host with SIGKILL and the job runs on; the next engine on the same journal
 * adopts it (or collects its exit code if it finished meanwhile) and reports what it found.
 */
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ExecutionEngine, shell } from 'execution-engine';

const dir = join(tmpdir(), 'execution-engine-durable-example');
const job = 'for i in 1 2 3 4 5 6 7 8; do echo "step $i of 8"; sleep 0.4; done; echo "backup done"';

/** The host app: recovers what a previous host left, then makes sure the backup job runs. */
async function host(label: string): Promise<ExecutionEngine> {
  const engine = new ExecutionEngine({ journal: { dir } });
  engine.on('stdout', (event) => console.log(`[${label}] ${event.line}`));
  engine.on('recovered', (event) =>
    console.log(`[${label}] recovered ${event.executionId}: ${event.classification}`),
  );
  // Recovery runs by itself at construction; its report says what became of each execution.
  const report = await engine.recover();
  if (report.executions.length === 0 && engine.list().length === 0) {
    await engine.execute({ id: 'nightly-backup', command: shell(job) });
    console.log(`[${label}] started nightly-backup (journal: ${dir})`);
  }
  return engine;
}

if (process.argv.includes('--host')) {
  // Standalone host: runs until the job is done. Kill it with `kill -9` midway and start it again.
  const engine = await host('host');
  const result = await engine.waitForCompletion('nightly-backup');
  console.log(`[host] ${result.status}, exit code ${result.exitCode}`);
  await engine.shutdown();
} else {
  rmSync(dir, { recursive: true, force: true });

  // 1. A first host starts the job...
  const first = spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--host'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve) => {
    first.stdout.on('data', (chunk: Buffer) => {
      process.stdout.write(chunk);
      if (String(chunk).includes('step 3 of 8')) resolve();
    });
  });

  // 2. ...and crashes hard: SIGKILL, no cleanup, no exit hooks. The job keeps running.
  first.kill('SIGKILL');
  console.log('[demo] first host killed with SIGKILL');
  await new Promise((resolve) => first.once('exit', resolve));

  // 3. The next start adopts the job: output so far comes from its log file, the rest live.
  const engine = await host('next host');
  const result = await engine.waitForCompletion('nightly-backup');
  console.log(
    `[demo] ${result.status}, exit code ${result.exitCode}, ${result.stdout.split('\n').length} lines in total`,
  );
  await engine.shutdown();
  rmSync(dir, { recursive: true, force: true });
}
