/**
 * Report outputs: the markdown tables (stdout and docs), `bench/results.json`, and the generated
 * section of `docs/performance.md` (between the bench markers; the rest is hand-written).
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { busyWarning, machineLine } from './machine.mjs';
import { fmt } from './stats.mjs';

/**
 * @typedef {import('./results.mjs').WorkloadResult} WorkloadResult
 * @typedef {{ mode: 'quick' | 'full', generatedAt: string, rounds: number, warmup: number,
 *   durationS: number, machine: import('./machine.mjs').Machine, workloads: WorkloadResult[] }} Report
 */

export const START = '<!-- bench:start -->';
export const END = '<!-- bench:end -->';

/** @param {string} text */
const cell = (text) => text.replaceAll('|', '\\|').replaceAll('\n', ' ');

/** @param {number} value @param {string} unit */
const withUnit = (value, unit) => (unit.startsWith('×') ? `${fmt(value)}${unit}` : `${fmt(value)} ${unit}`);

/**
 * The figures table: every contender of every workload.
 * @param {readonly WorkloadResult[]} workloads
 * @returns {string}
 */
export function resultsTable(workloads) {
  const lines = [
    '| Workload | Contender | Figure | Median | Min–max | Ratio to raw (median of rounds, min–max) |',
    '| --- | --- | --- | ---: | ---: | ---: |',
  ];
  for (const w of workloads) {
    if (w.error) {
      lines.push(`| ${cell(w.title)} | — | ⚠️ harness error | — | — | ${cell(w.error)} |`);
      continue;
    }
    let first = true;
    for (const row of w.rows) {
      const { median, min, max } = row.summary;
      const ratio = row.ratio
        ? `${fmt(row.ratio.median)}× (${fmt(row.ratio.min)}–${fmt(row.ratio.max)})`
        : row.contender.startsWith('raw') && w.rows.some((r) => r.metric === row.metric && r.ratio)
          ? '1 (baseline)'
          : '—';
      const dir = row.better === 'lower' ? '↓' : '↑';
      lines.push(
        `| ${first ? cell(w.title) : ''} | ${row.contender} | ${cell(row.metric)} ${dir} | ${withUnit(median, row.unit)} | ${fmt(min)}–${fmt(max)} | ${ratio} |`,
      );
      first = false;
    }
  }
  return lines.join('\n');
}

/**
 * The targets table, one line per target of the issue, with ✅/❌ and the margin.
 * @param {readonly WorkloadResult[]} workloads
 * @returns {string}
 */
export function targetsTable(workloads) {
  const lines = [
    '| Target | Measured (median) | Limit | Met | Margin |',
    '| --- | ---: | ---: | :---: | --- |',
  ];
  for (const w of workloads) {
    if (w.error) lines.push(`| ${cell(w.title)} | not measured | — | ❌ | harness error |`);
    for (const t of w.targets) {
      const op = t.op === '<=' ? '≤' : '≥';
      lines.push(
        `| ${cell(t.description)} | ${withUnit(t.measured, t.unit)} | ${op} ${withUnit(t.limit, t.unit)} | ${t.pass ? '✅' : '❌'} | ${t.margin} |`,
      );
    }
  }
  return lines.join('\n');
}

/**
 * Markdown for stdout and for the docs section.
 * @param {Report} report
 * @param {{ chart?: string }} [options] relative path of the SVG chart to embed
 * @returns {string}
 */
export function markdown(report, { chart } = {}) {
  const all = report.workloads.flatMap((w) => w.targets);
  const met = all.filter((t) => t.pass).length;
  const errors = report.workloads.filter((w) => w.error);
  const parts = [
    `**Mode:** ${report.mode}${report.mode === 'quick' ? ' (reduced sizes and rounds: a smoke check, not the reference figures)' : ''} · ${report.rounds} rounds after ${report.warmup} warm-up, contenders rotated every round · ${report.generatedAt} · ${Math.round(report.durationS)} s`,
    '',
    `**Machine:** ${machineLine(report.machine)}`,
    '',
    ...(busyWarning(report.machine) ? [`⚠️ ${busyWarning(report.machine)}.`, ''] : []),
    `**Targets met:** ${met} of ${all.length}${errors.length ? ` · ⚠️ ${errors.length} workload(s) could not be measured` : ''}`,
    '',
  ];
  if (chart) parts.push(`![Ratios to raw child_process and share of each absolute target](${chart})`, '');
  parts.push('### Targets', '', targetsTable(report.workloads), '', '### All figures', '');
  parts.push(
    resultsTable(report.workloads),
    '',
    '↓ lower is better, ↑ higher is better.',
    '',
    '### Notes',
    '',
  );
  for (const w of report.workloads) {
    const notes = w.error ? [`harness error: ${w.error}`] : w.notes;
    if (notes.length) parts.push(`- **${w.title}**: ${notes.join(' ')}`);
  }
  return parts.join('\n');
}

/** @param {string} path @param {string} text */
async function write(path, text) {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, text);
}

/**
 * @param {string} path
 * @param {Report} report
 */
export async function writeJson(path, report) {
  await write(path, `${JSON.stringify(report, null, 2)}\n`);
}

/** The hand-written frame of docs/performance.md, used when the file does not exist yet. */
const TEMPLATE = `# Performance

How the engine compares with raw \`node:child_process\` (the floor: no engine can spawn faster)
and with execa 9, measured by \`npm run bench\` (\`npm run bench -- --quick\` for a reduced smoke
run). Every workload runs in one process, contenders alternate round by round, and each figure is
the median of the rounds with its min–max; ratios are medians of per-round ratios, so they compare
runs made seconds apart on the same machine. Absolute figures move with the machine, ratios much less.

A run prints its report and leaves this page alone: its own copy of the page, the chart and the
raw results go to \`.tmp/bench/\` (ignored by git). The section between the markers below, the
chart \`performance-ratios.svg\` and \`bench/results.json\` are regenerated only on request, by a full
run: \`npm run bench -- --write-docs\` (refused with \`--quick\` or \`--only\`). Edit outside the markers.

${START}
${END}

## Spawner choice

(written by the engine team)
`;

/**
 * Replaces the generated section of docs/performance.md, keeping everything outside the markers.
 * @param {string} path the file to write
 * @param {string} generated
 * @param {{ from?: string }} [options] the file whose hand-written parts to keep (default: `path`),
 *   for a copy written elsewhere
 */
export async function writePerformanceDoc(path, generated, { from = path } = {}) {
  const current = existsSync(from) ? await readFile(from, 'utf8') : TEMPLATE;
  const block = `${START}\n\n${generated.trim()}\n\n${END}`;
  const start = current.indexOf(START);
  const end = current.indexOf(END, start + START.length);
  const next =
    start !== -1 && end !== -1
      ? current.slice(0, start) + block + current.slice(end + END.length)
      : `${current.trimEnd()}\n\n${block}\n`;
  await write(path, next);
}
