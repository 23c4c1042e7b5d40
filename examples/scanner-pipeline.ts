/**
 * A scanner's three phases over several projects, as one pipeline.
 *
 *   npx tsx examples/scanner-pipeline.ts
 *
 * - Phase 1 prepares each project's directories, phase 2 scans it, phase 3 generates its report:
 *   `dirs-<project>` → `scan-<project>` → `generate-<project>`, projects side by side (at most
 *   three steps at a time).
 * - A scan writes what it found to `$EXECUTION_OUTPUT` (`findings=3`); the generate step receives it
 *   through a `${{ steps.scan-<project>.outputs.findings }}` placeholder in its `env`: the value
 *   arrives as an environment variable, never as shell text.
 * - One project's scan fails (`beta`). Its steps have `onFailure: 'continue'`, so the phases go on
 *   past the failure: beta's report is still generated (with no findings), the other projects are
 *   not held up, and the pipeline completes (without `success`).
 * - A final step, given as a function, sums the findings from `ctx.outputs`.
 * - The `pipeline` event shows progress; the summary is printed as a table at the end.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExecutionEngine, exec, type PipelineStep, shell } from 'execution-engine';

const engine = new ExecutionEngine({ maxConcurrentExecutions: 3 });
const work = mkdtempSync(join(tmpdir(), 'scanner-'));
const projects = ['alpha', 'beta', 'gamma', 'delta'];

// --- The three phases of each project ------------------------------------------------------------
const steps: PipelineStep[] = [];
for (const [index, project] of projects.entries()) {
  const dir = join(work, project);
  steps.push({
    key: `dirs-${project}`,
    request: { command: exec('mkdir', ['-p', join(dir, 'src'), join(dir, 'out')]) },
    onFailure: 'continue',
  });
  // beta's scan fails; the others find a few things and say how many through EXECUTION_OUTPUT.
  const scan =
    project === 'beta'
      ? 'echo "scanner crashed on beta" >&2; exit 2'
      : `sleep 0.${index + 2}; echo "scanning ${project}"; echo "findings=${index + 1}" >> "$EXECUTION_OUTPUT"`;
  steps.push({
    key: `scan-${project}`,
    dependsOn: [`dirs-${project}`],
    request: { command: shell(scan), timeoutMs: 10_000 },
    onFailure: 'continue',
  });
  steps.push({
    key: `generate-${project}`,
    dependsOn: [`scan-${project}`],
    request: {
      command: shell(`echo "${project}: \${FINDINGS:-no} findings" > "${join(dir, 'out', 'report.txt')}"`),
      env: { FINDINGS: `\${{ steps.scan-${project}.outputs.findings }}` },
    },
    onFailure: 'continue',
  });
}
steps.push({
  key: 'summary',
  dependsOn: projects.map((project) => `generate-${project}`),
  request: (ctx) => {
    const total = projects.reduce((sum, p) => sum + Number(ctx.outputs[`scan-${p}`]?.findings ?? 0), 0);
    return { command: exec('echo', [`${total} findings in ${projects.length} projects`]) };
  },
});

// --- Run it, with a progress line -------------------------------------------------------------
engine.on('pipeline', (event) => {
  if (event.step === undefined) return;
  const { summary } = event;
  const done = summary.completed + summary.failed + summary.timeout + summary.cancelled + summary.skipped;
  console.log(`[${done}/${summary.total}] ${event.step.key}: ${event.step.status}`);
});
const id = await engine.startPipeline({ id: 'nightly-scan', steps });
const result = await engine.waitForPipeline(id);

// --- The summary, as a table ------------------------------------------------------------------
const rows = result.steps.map((step) => {
  const run = result.results[step.key];
  return {
    step: step.key,
    status: step.status,
    exit: run?.exitCode ?? '',
    ms: run?.durationMs ?? '',
    outputs: Object.entries(run?.outputs ?? {})
      .map(([k, v]) => `${k}=${v}`)
      .join(' '),
  };
});
const columns = ['step', 'status', 'exit', 'ms', 'outputs'] as const;
const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => String(r[c]).length)));
const line = (cells: string[]) => `| ${cells.map((cell, i) => cell.padEnd(widths[i]!)).join(' | ')} |`;
console.log(`\nPipeline ${result.id}: ${result.status}, success ${result.success}`);
console.log(line([...columns]));
console.log(line(widths.map((w) => '-'.repeat(w))));
for (const row of rows) console.log(line(columns.map((c) => String(row[c]))));
console.log(`\n${result.results.summary?.stdout}`);
console.log(JSON.stringify(result.summary));

await engine.shutdown();
rmSync(work, { recursive: true, force: true });
