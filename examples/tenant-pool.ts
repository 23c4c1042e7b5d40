/**
 * A paced pool shared by two tenants, with retries, a progress bar and a schedule.
 *
 *   npx tsx examples/tenant-pool.ts
 *
 * - Tenant A submits eight scans at once, tenant B two a moment later: B's scans do not wait
 *   behind A's backlog, because groups take turns (round robin) when a slot frees.
 * - Tenant A may run two scans at a time and starts at most one every 150 ms (pacing); the pool
 *   runs three at a time in all.
 * - A flaky job fails twice, then succeeds: `retry` runs it again with exponential backoff, and
 *   the `retrying` event says why.
 * - A download prints a `\r` progress bar; `progress: 'percent'` turns it into throttled
 *   `progress` events, drawn here as a bar.
 * - A schedule fires every second until it is stopped.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExecutionEngine, exec, shell } from 'execution-engine';

const engine = new ExecutionEngine({
  maxConcurrentExecutions: 3,
  groups: { 'tenant-a': { maxConcurrent: 2, minStartIntervalMs: 150 } },
  defaultGroupLimits: { maxConcurrent: 2 },
  progressIntervalMs: 100,
});

// --- Who starts when -----------------------------------------------------------------------------
const starts: string[] = [];
engine.on('started', (event) => {
  const group = engine.getExecution(event.executionId).group;
  if (group !== undefined) starts.push(`${group === 'tenant-a' ? 'A' : 'B'}${event.attempt > 1 ? '*' : ''}`);
});

const scan = (seconds: number) => exec('sleep', [String(seconds)]);
const scansA = Array.from({ length: 8 }, () => engine.execute({ command: scan(0.3), group: 'tenant-a' }));
await new Promise((resolve) => setTimeout(resolve, 50));
const scansB = Array.from({ length: 2 }, () => engine.execute({ command: scan(0.3), group: 'tenant-b' }));

// --- Retries ---------------------------------------------------------------------------------------
// Fails on its first two runs (a counter file in a temporary directory), then succeeds.
const scratch = mkdtempSync(join(tmpdir(), 'tenant-pool-'));
const counter = join(scratch, 'runs');
engine.on('retrying', (event) => {
  const { status, exitCode } = event.previous;
  console.log(
    `flaky: attempt ${event.attempt - 1} ended ${status} (exit ${exitCode}); attempt ${event.attempt} in ${event.delayMs} ms`,
  );
});
const flaky = engine.run({
  command: shell('n=$(cat "$COUNTER" 2>/dev/null || echo 0); n=$((n+1)); echo $n > "$COUNTER"; [ $n -ge 3 ]'),
  env: { COUNTER: counter },
  group: 'tenant-b',
  retry: { attempts: 5, delayMs: 100, jitter: false },
});

// --- A progress bar --------------------------------------------------------------------------------
const download = shell(
  'for i in $(seq 0 5 100); do printf "downloading %3d%%\\r" $i; sleep 0.02; done; echo',
);
engine.on('progress', (event) => {
  const percent = event.progress.percent ?? 0;
  const bar = '#'.repeat(Math.round(percent / 5)).padEnd(20, '.');
  process.stdout.write(`download [${bar}] ${percent.toFixed(0).padStart(3)}%\n`);
});
const downloaded = engine.run({ command: download, progress: 'percent', group: 'tenant-b' });

// --- A schedule ----------------------------------------------------------------------------------
let ticks = 0;
const heartbeat = engine.schedule('heartbeat', '* * * * * *', { command: exec('true') });
engine.on('completed', (event) => {
  if (event.result.schedule === 'heartbeat' && ++ticks === 2) heartbeat.stop();
});

// --- The end -----------------------------------------------------------------------------------------
const ids = await Promise.all([...scansA, ...scansB]);
await Promise.all(ids.map((id) => engine.waitForCompletion(id)));
const retried = await flaky;
console.log(`flaky: succeeded on attempt ${retried.attempts.length}`);
await downloaded;
console.log(`start order by tenant (* = a retry): ${starts.join(' ')}`);
console.log(`B's scans started before A's last one: ${starts.lastIndexOf('A') > starts.indexOf('B')}`);
while (ticks < 2) await new Promise((resolve) => setTimeout(resolve, 100));
console.log(`heartbeat ran ${ticks} times, then stopped (schedules: ${engine.listSchedules().length})`);
await engine.shutdown();
rmSync(scratch, { recursive: true, force: true });
