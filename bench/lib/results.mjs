/**
 * Turns per-round series into report rows and target verdicts.
 */
import { meets, ratios, summarize } from './stats.mjs';

/**
 * @typedef {import('./stats.mjs').Summary} Summary
 * @typedef {{ workload: string, contender: string, metric: string, unit: string,
 *   better: 'lower' | 'higher', values: number[], summary: Summary,
 *   ratio?: { values: number[] } & Summary, chart?: string }} Row
 * @typedef {{ workload: string, description: string, contender: string,
 *   basis: 'ratio' | 'absolute', measured: number, unit: string, op: '<=' | '>=', limit: number,
 *   pass: boolean, margin: string, note?: string, label?: string }} Target
 * @typedef {{ id: string, title: string, rows: Row[], targets: Target[], notes: string[],
 *   error?: string }} WorkloadResult
 */

/**
 * One row per contender for one figure, with the per-round ratio to `baseline` when given.
 * @param {string} workload
 * @param {import('./harness.mjs').Series} series
 * `chart` (a short label) puts the ratios on the SVG chart.
 * @param {{ key: string, metric: string, unit: string, better: 'lower' | 'higher', baseline?: string,
 *   chart?: string }} figure
 * @returns {Row[]}
 */
export function rowsFor(workload, series, { key, metric, unit, better, baseline, chart }) {
  /** @type {Row[]} */
  const rows = [];
  const base = baseline ? series[baseline]?.[key] : undefined;
  for (const [contender, figures] of Object.entries(series)) {
    const values = figures[key];
    if (!values) continue;
    /** @type {Row} */
    const row = { workload, contender, metric, unit, better, values, summary: summarize(values) };
    if (base && contender !== baseline) {
      const r = ratios(values, base);
      row.ratio = { values: r, ...summarize(r) };
      if (chart) row.chart = chart;
    }
    rows.push(row);
  }
  return rows;
}

/**
 * How far a measurement is from its limit, in words.
 * @param {number} measured
 * @param {'<=' | '>='} op
 * @param {number} limit
 * @returns {string}
 */
export function marginText(measured, op, limit) {
  if (!Number.isFinite(measured)) return 'not measured';
  const pass = meets(measured, op, limit);
  const rel = op === '<=' ? measured / limit - 1 : 1 - measured / limit;
  const abs = Math.abs(rel * 100);
  const pct = abs > 0 && abs < 0.1 ? '<0.1%' : `${abs.toFixed(abs >= 10 ? 0 : 1)}%`;
  if (pass) return op === '<=' ? `${pct} under the limit` : `${pct} above the limit`;
  return op === '<=' ? `missed: ${pct} over the limit` : `missed: ${pct} short of the limit`;
}

/**
 * @param {Omit<Target, 'pass' | 'margin'> & { valid?: boolean }} spec `valid: false` fails the
 *   target whatever the figure (e.g. the engine lost output lines)
 * @returns {Target}
 */
export function target(spec) {
  const { valid = true, ...rest } = spec;
  const pass = valid && meets(rest.measured, rest.op, rest.limit);
  const margin = valid ? marginText(rest.measured, rest.op, rest.limit) : 'invalid measurement';
  return { ...rest, pass, margin };
}

/**
 * A ratio target taken from a row (median of per-round ratios).
 * @param {Row | undefined} row
 * @param {{ description: string, label?: string, op: '<=' | '>=', limit: number, valid?: boolean,
 *   note?: string }} spec
 * @returns {Target}
 */
export function ratioTarget(row, spec) {
  return target({
    workload: row?.workload ?? '?',
    contender: row?.contender ?? 'engine',
    basis: 'ratio',
    measured: row?.ratio?.median ?? Number.NaN,
    unit: '×',
    ...spec,
  });
}

/**
 * An absolute target taken from a row's median.
 * @param {Row | undefined} row
 * @param {{ description: string, label?: string, op: '<=' | '>=', limit: number, valid?: boolean,
 *   note?: string }} spec
 * @returns {Target}
 */
export function absoluteTarget(row, spec) {
  return target({
    workload: row?.workload ?? '?',
    contender: row?.contender ?? 'engine',
    basis: 'absolute',
    measured: row?.summary.median ?? Number.NaN,
    unit: row?.unit ?? '',
    ...spec,
  });
}

/**
 * Finds the row of `contender` with `metric`.
 * @param {readonly Row[]} rows
 * @param {string} contender
 * @param {string} [metric]
 * @returns {Row | undefined}
 */
export function findRow(rows, contender, metric) {
  return rows.find((r) => r.contender === contender && (metric === undefined || r.metric === metric));
}
