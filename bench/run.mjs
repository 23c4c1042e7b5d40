#!/usr/bin/env node
/**
 * Benchmark entry point: `npm run bench` (full run) or `npm run bench -- --quick` (reduced smoke
 * run, under a minute). Other flags: `--only=id,id` (runs those workloads), `--rounds=N`.
 *
 * Prints a markdown report to stdout and writes no tracked file: the results, the chart and the
 * regenerated docs/performance.md go to .tmp/bench/ (ignored by git) for a look, and `--no-write`
 * skips even that. `--write-docs` (a full run of every workload only) updates the committed copies:
 * bench/results.json, docs/performance-ratios.svg and the generated section of
 * docs/performance.md, unless the harness broke (then only .tmp/bench/ is written). Exits 0 even
 * when targets are missed; non-zero only when the harness itself breaks (a workload could not be
 * measured, or cleanup failed) or the arguments are wrong.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { engineModulePath } from './lib/contenders.mjs';
import { busyWarning, describeMachine, machineLine } from './lib/machine.mjs';
import { markdown, writeJson, writePerformanceDoc } from './lib/report.mjs';
import { cleanupAll, installExitHandlers, liveChildren, stopProcesses, trackPath } from './lib/resources.mjs';
import { ratiosSvg } from './lib/svg.mjs';
import catCollect from './workloads/cat-collect.mjs';
import catLines from './workloads/cat-lines.mjs';
import cleanupExpired from './workloads/cleanup-expired.mjs';
import distributed from './workloads/distributed.mjs';
import groupQueueLatency from './workloads/group-queue-latency.mjs';
import heapRetained from './workloads/heap-retained.mjs';
import heapRetainedRetry from './workloads/heap-retained-retry.mjs';
import heapRunning from './workloads/heap-running.mjs';
import inspectJournal from './workloads/inspect-journal.mjs';
import pipeline from './workloads/pipeline.mjs';
import protocolDelivery from './workloads/protocol-delivery.mjs';
import queueLatency from './workloads/queue-latency.mjs';
import sequential from './workloads/sequential.mjs';
import sseDelivery from './workloads/sse-delivery.mjs';
import throughput from './workloads/throughput.mjs';

const WORKLOADS = [
  sequential,
  throughput,
  queueLatency,
  groupQueueLatency,
  catCollect,
  catLines,
  heapRunning,
  heapRetained,
  heapRetainedRetry,
  cleanupExpired,
  inspectJournal,
  sseDelivery,
  protocolDelivery,
  pipeline,
  distributed,
];
const path = (/** @type {string} */ target) => fileURLToPath(new URL(target, import.meta.url));
/** Where a run without `--write-docs` puts its files: .tmp/ is in .gitignore. */
const SCRATCH_DIR = path('../.tmp/bench/');

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

const USAGE = 'usage: node bench/run.mjs [--quick] [--only=id,…] [--rounds=N] [--no-write | --write-docs]';

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
  const writeDocs = argv.includes('--write-docs');
  const noWrite = argv.includes('--no-write');
  const flags = ['--quick', '--no-write', '--write-docs'];
  const unknown = argv.filter((a) => !flags.includes(a) && !/^--(only|rounds)=/.test(a));
  if (unknown.length || !Number.isInteger(rounds) || rounds < 1) {
    throw new Error(`${USAGE}; got ${argv.join(' ')}`);
  }
  const unknownIds = only?.filter((id) => !WORKLOADS.some((w) => w.id === id)) ?? [];
  if (unknownIds.length) throw new Error(`unknown workload(s) ${unknownIds.join(', ')}`);
  if (writeDocs && (quick || only || noWrite)) {
    // The committed figures are the reference: a full run of every workload, never a smoke run.
    throw new Error('--write-docs needs a full run of every workload: drop --quick, --only and --no-write');
  }
  /** @type {'none' | 'scratch' | 'docs'} */
  const output = writeDocs ? 'docs' : noWrite ? 'none' : 'scratch';
  return { quick, only, rounds, warmup: 1, output };
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
  const committedDoc = path('../docs/performance.md');
  const broken = results.filter((r) => r.error).length + problems.length;
  if (args.output === 'docs' && broken) {
    // A run that could not measure everything never replaces the committed figures.
    console.error('\nbench: harness problems: not writing the committed files; a copy goes to .tmp/bench/');
    args.output = 'scratch';
  }
  if (args.output === 'docs') {
    await writeJson(path('./results.json'), report);
    await writeFile(path('../docs/performance-ratios.svg'), svg);
    await writePerformanceDoc(committedDoc, doc);
    console.error('\nbench: wrote bench/results.json, docs/performance.md, docs/performance-ratios.svg');
  } else if (args.output === 'scratch') {
    // The same three files, beside each other so the doc shows its chart; the tracked ones stay.
    await mkdir(SCRATCH_DIR, { recursive: true });
    await writeJson(join(SCRATCH_DIR, 'results.json'), report);
    await writeFile(join(SCRATCH_DIR, 'performance-ratios.svg'), svg);
    await writePerformanceDoc(join(SCRATCH_DIR, 'performance.md'), doc, { from: committedDoc });
    console.error(
      `\nbench: wrote ${relative(process.cwd(), SCRATCH_DIR) || '.'}/ (results.json, performance.md, ` +
        'performance-ratios.svg; ignored by git). Committed files untouched: a full run with ' +
        '`npm run bench -- --write-docs` updates them.',
    );
  }
  for (const problem of problems) console.error(`bench: cleanup problem: ${problem}`);
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
