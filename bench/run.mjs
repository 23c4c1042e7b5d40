#!/usr/bin/env node
/**
 * Benchmark entry point: `npm run bench` (full) or `npm run bench -- --quick` (reduced smoke run).
 * Other flags: `--only=id,id` (development: runs those workloads, writes no file), `--rounds=N`,
 * `--no-write` (prints the report, leaves results.json and docs/ untouched).
 *
 * Writes a markdown report to stdout, bench/results.json, docs/performance-ratios.svg and the
 * generated section of docs/performance.md. Exits 0 even when targets are missed; non-zero only
 * when the harness itself breaks (a workload could not be measured, or cleanup failed).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { engineModulePath } from './lib/contenders.mjs';
import { busyWarning, describeMachine, machineLine } from './lib/machine.mjs';
import { markdown, writeJson, writePerformanceDoc } from './lib/report.mjs';
import { cleanupAll, installExitHandlers, liveChildren, stopProcesses, trackPath } from './lib/resources.mjs';
import { ratiosSvg } from './lib/svg.mjs';
import catCollect from './workloads/cat-collect.mjs';
import catLines from './workloads/cat-lines.mjs';
import cleanupExpired from './workloads/cleanup-expired.mjs';
import heapRetained from './workloads/heap-retained.mjs';
import heapRunning from './workloads/heap-running.mjs';
import queueLatency from './workloads/queue-latency.mjs';
import sequential from './workloads/sequential.mjs';
import throughput from './workloads/throughput.mjs';

const WORKLOADS = [
  sequential,
  throughput,
  queueLatency,
  catCollect,
  catLines,
  heapRunning,
  heapRetained,
  cleanupExpired,
];
const path = (/** @type {string} */ relative) => fileURLToPath(new URL(relative, import.meta.url));

/** Re-runs this script under `--expose-gc` (heap figures need forced GCs); returns its exit code. */
function reexecWithGc() {
  const args = ['--expose-gc', ...process.execArgv, fileURLToPath(import.meta.url), ...process.argv.slice(2)];
  const child = spawn(process.execPath, args, { stdio: 'inherit' });
  for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM', 'SIGHUP'])) {
    process.on(signal, () => child.kill(signal));
  }
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

/**
 * Rejects when `promise` takes longer than `seconds`, so a hung engine cannot hang CI; the
 * teardown then kills what the workload left running.
 * @template T
 * @param {Promise<T>} promise
 * @param {number} seconds
 * @param {string} id
 * @returns {Promise<T>}
 */
function withDeadline(promise, seconds, id) {
  /** @type {NodeJS.Timeout | undefined} */
  let timer;
  const deadline = new Promise((_, fail) => {
    timer = setTimeout(() => fail(new Error(`${id} did not finish within ${seconds} s`)), seconds * 1000);
  });
  return /** @type {Promise<T>} */ (Promise.race([promise, deadline]).finally(() => clearTimeout(timer)));
}

/** @param {string[]} argv */
function parseArgs(argv) {
  const quick = argv.includes('--quick');
  const only = argv
    .find((a) => a.startsWith('--only='))
    ?.slice('--only='.length)
    .split(',');
  const rounds = Number(
    argv.find((a) => a.startsWith('--rounds='))?.slice('--rounds='.length) ?? (quick ? 3 : 5),
  );
  const write = !argv.includes('--no-write');
  const unknown = argv.filter((a) => a !== '--quick' && a !== '--no-write' && !/^--(only|rounds)=/.test(a));
  if (unknown.length || !Number.isInteger(rounds) || rounds < 1) {
    throw new Error(
      `usage: node bench/run.mjs [--quick] [--only=id,…] [--rounds=N] [--no-write]; got ${argv.join(' ')}`,
    );
  }
  const unknownIds = only?.filter((id) => !WORKLOADS.some((w) => w.id === id)) ?? [];
  if (unknownIds.length) throw new Error(`unknown workload(s) ${unknownIds.join(', ')}`);
  return { quick, only, rounds, warmup: 1, write: write && !only };
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  installExitHandlers();
  if (!existsSync(engineModulePath())) {
    throw new Error(`engine not built: ${engineModulePath()} is missing (npm run build)`);
  }
  const started = performance.now();
  const machine = describeMachine();
  const workDir = trackPath(path('./.work/'));
  await mkdir(workDir, { recursive: true });
  const options = { ...args, workDir, log: (/** @type {string} */ line) => console.error(line) };
  console.error(
    `bench: ${args.quick ? 'quick' : 'full'} mode, ${args.rounds} rounds + ${args.warmup} warm-up`,
  );
  console.error(`bench: ${machineLine(machine)}`);
  if (busyWarning(machine)) console.error(`bench: warning: ${busyWarning(machine)}`);

  /** @type {import('./lib/results.mjs').WorkloadResult[]} */
  const results = [];
  /** @type {string[]} */
  const problems = [];
  for (const workload of WORKLOADS.filter((w) => !args.only || args.only.includes(w.id))) {
    const t0 = performance.now();
    console.error(`\n▶ ${workload.title(options)}`);
    try {
      results.push(await withDeadline(workload.run(options), args.quick ? 240 : 900, workload.id));
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      console.error(`✖ ${workload.id} failed:`, error);
      results.push({
        id: workload.id,
        title: workload.title(options),
        rows: [],
        targets: [],
        notes: [],
        error: message,
      });
      problems.push(...(await stopProcesses()));
    }
    if (liveChildren() > 0)
      console.error(`  warning: ${liveChildren()} harness child process(es) still alive`);
    console.error(`  (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  }
  problems.push(...(await cleanupAll()));

  /** @type {import('./lib/report.mjs').Report} */
  const report = {
    mode: args.quick ? 'quick' : 'full',
    generatedAt: new Date().toISOString(),
    rounds: args.rounds,
    warmup: args.warmup,
    durationS: (performance.now() - started) / 1000,
    machine,
    workloads: results,
  };
  console.log(markdown(report));
  // Rendered even when not written, so `--no-write` runs still exercise the whole report path.
  const subtitle = `${report.mode} run, ${report.generatedAt.slice(0, 10)} · ${machineLine(machine)}`;
  const svg = ratiosSvg(results, subtitle);
  const doc = `## Latest results\n\n${markdown(report, { chart: 'performance-ratios.svg' })}`;
  if (args.write) {
    await writeJson(path('./results.json'), report);
    await writeFile(path('../docs/performance-ratios.svg'), svg);
    await writePerformanceDoc(path('../docs/performance.md'), doc);
    console.error('\nbench: wrote bench/results.json, docs/performance.md, docs/performance-ratios.svg');
  }
  for (const problem of problems) console.error(`bench: cleanup problem: ${problem}`);
  const broken = results.filter((r) => r.error).length + problems.length;
  console.error(
    `bench: done in ${Math.round(report.durationS)} s${broken ? `, ${broken} harness problem(s)` : ''}`,
  );
  return broken ? 1 : 0;
}

if (typeof globalThis.gc !== 'function') {
  reexecWithGc();
} else {
  main().then(
    (code) => {
      process.exitCode = code;
      // Whatever a contender leaked must not hang CI: exit anyway once the report is out.
      setTimeout(() => {
        console.error('bench: open handles remain after the run; exiting anyway');
        process.exit(code);
      }, 5000).unref();
    },
    async (error) => {
      console.error('bench: harness failure:', error);
      await cleanupAll();
      process.exitCode = 2;
    },
  );
}
