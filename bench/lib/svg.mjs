/**
 * Hand-built SVG bar chart (no dependency). Top panel: every charted ratio to raw on a log scale
 * centred on 1× (raw), with the target as a tick. Bottom panel: each absolute target as the share
 * of its limit used (1 = exactly at the limit). Green: met, red: missed, grey: no target.
 */
import { fmt } from './stats.mjs';

const WIDTH = 960;
const LABEL_W = 290;
const PLOT_W = 420;
const ROW_H = 24;
const COLORS = {
  pass: '#2e8b57',
  fail: '#d0342c',
  none: '#9aa0a6',
  axis: '#444',
  grid: '#ddd',
  text: '#222',
};

/** @param {string} text */
const esc = (text) => text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');

/**
 * @typedef {{ label: string, value: number, target?: number, op?: '<=' | '>=', pass?: boolean,
 *   text: string }} Bar
 */

/**
 * Bars of both panels from the workload results.
 * @param {readonly import('./results.mjs').WorkloadResult[]} workloads
 * @returns {{ ratios: Bar[], budgets: Bar[] }}
 */
export function chartBars(workloads) {
  /** @type {Bar[]} */
  const ratios = [];
  /** @type {Bar[]} */
  const budgets = [];
  for (const w of workloads) {
    for (const row of w.rows) {
      if (!row.chart || !row.ratio) continue;
      const t = w.targets.find((x) => x.basis === 'ratio' && x.unit === '×' && x.contender === row.contender);
      const kind = row.better === 'lower' ? 'time' : 'throughput';
      ratios.push({
        label: `${row.chart} · ${row.contender}`,
        value: row.ratio.median,
        target: t?.limit,
        op: t?.op,
        pass: t ? t.pass : undefined,
        text: `${fmt(row.ratio.median)}× raw ${kind}${t ? ` (${t.op === '<=' ? '≤' : '≥'} ${t.limit}×)` : ''}`,
      });
    }
    for (const t of w.targets) {
      if (t.basis === 'ratio' && t.unit !== '×') {
        ratios.push({
          label: t.label ?? `${w.id} · engine vs execa`,
          value: t.measured,
          target: t.limit,
          op: t.op,
          pass: t.pass,
          text: `${fmt(t.measured)}× execa (${t.op === '<=' ? '≤' : '≥'} ${t.limit}×)`,
        });
      }
      if (t.basis !== 'absolute') continue;
      budgets.push({
        label: t.label ?? t.description.replaceAll('`', ''),
        value: t.measured / t.limit,
        target: 1,
        op: t.op,
        pass: t.pass,
        text: `${fmt(t.measured)} ${t.unit} (${t.op === '<=' ? '≤' : '≥'} ${fmt(t.limit)} ${t.unit})`,
      });
    }
  }
  return { ratios, budgets };
}

/**
 * One panel of horizontal bars.
 * @param {string} title
 * @param {readonly Bar[]} bars
 * @param {number} top y offset
 * @param {{ scale: (v: number) => number, origin: number, ticks: number[], tickLabel: (v: number) => string }} axis
 * @returns {{ svg: string[], height: number }}
 */
function panel(title, bars, top, axis) {
  const svg = [`<text x="12" y="${top + 16}" font-size="14" font-weight="bold">${esc(title)}</text>`];
  const y0 = top + 28;
  const bottom = y0 + bars.length * ROW_H;
  for (const tick of axis.ticks) {
    const x = LABEL_W + axis.scale(tick);
    svg.push(`<line x1="${x}" y1="${y0 - 4}" x2="${x}" y2="${bottom}" stroke="${COLORS.grid}"/>`);
    svg.push(
      `<text x="${x}" y="${bottom + 14}" font-size="10" text-anchor="middle">${axis.tickLabel(tick)}</text>`,
    );
  }
  bars.forEach((bar, i) => {
    const y = y0 + i * ROW_H;
    const color = bar.pass === undefined ? COLORS.none : bar.pass ? COLORS.pass : COLORS.fail;
    const a = LABEL_W + axis.scale(axis.origin);
    const b = LABEL_W + axis.scale(bar.value);
    const mark = bar.pass === undefined ? '' : bar.pass ? ' ✓' : ' ✗';
    svg.push(`<text x="${LABEL_W - 8}" y="${y + 15}" text-anchor="end">${esc(bar.label)}</text>`);
    svg.push(
      `<rect x="${Math.min(a, b)}" y="${y + 4}" width="${Math.max(1, Math.abs(b - a))}" height="${ROW_H - 8}" fill="${color}"/>`,
    );
    if (bar.target !== undefined) {
      const x = LABEL_W + axis.scale(bar.target);
      svg.push(
        `<line x1="${x}" y1="${y + 1}" x2="${x}" y2="${y + ROW_H - 1}" stroke="#000" stroke-width="2"/>`,
      );
    }
    svg.push(`<text x="${LABEL_W + PLOT_W + 10}" y="${y + 15}">${esc(bar.text + mark)}</text>`);
  });
  const ox = LABEL_W + axis.scale(axis.origin);
  svg.push(`<line x1="${ox}" y1="${y0 - 4}" x2="${ox}" y2="${bottom}" stroke="${COLORS.axis}"/>`);
  return { svg, height: bottom + 24 - top };
}

/**
 * @param {readonly import('./results.mjs').WorkloadResult[]} workloads
 * @param {string} subtitle
 * @returns {string} the SVG document
 */
export function ratiosSvg(workloads, subtitle) {
  const { ratios, budgets } = chartBars(workloads);
  const values = ratios.flatMap((b) => [b.value, b.target ?? 1]).filter((v) => Number.isFinite(v) && v > 0);
  const lo = Math.min(0.25, ...values.map((v) => v / 1.2));
  const hi = Math.max(4, ...values.map((v) => v * 1.2));
  const log = (/** @type {number} */ v) =>
    ((Math.log(v) - Math.log(lo)) / (Math.log(hi) - Math.log(lo))) * PLOT_W;
  const clampLog = (/** @type {number} */ v) =>
    log(Number.isFinite(v) && v > 0 ? Math.min(hi, Math.max(lo, v)) : 1);
  const ratioTicks = [0.1, 0.25, 0.5, 1, 2, 4, 8, 16, 32].filter((t) => t >= lo && t <= hi);
  const bmax = Math.max(2, ...budgets.map((b) => (Number.isFinite(b.value) ? Math.min(b.value, 5) : 0)));
  const lin = (/** @type {number} */ v) =>
    (Math.min(bmax, Math.max(0, Number.isFinite(v) ? v : 0)) / bmax) * PLOT_W;
  const budgetTicks = [0, 0.5, 1, 1.5, 2, 3, 4, 5].filter((t) => t <= bmax);
  const top = 62;
  const first = panel('Ratio to raw child_process (log scale; black tick = target)', ratios, top, {
    scale: clampLog,
    origin: 1,
    ticks: ratioTicks,
    tickLabel: (v) => `${v}×`,
  });
  const second = panel(
    'Absolute targets: measured ÷ limit (1 = at the limit)',
    budgets,
    top + first.height + 10,
    {
      scale: lin,
      origin: 0,
      ticks: budgetTicks,
      tickLabel: (v) => `${v}`,
    },
  );
  const height = top + first.height + 10 + second.height + 8;
  /** @param {number} x @param {string} color @param {string} text */
  const key = (x, color, text) =>
    `<rect x="${x}" y="45" width="10" height="10" fill="${color}"/><text x="${x + 14}" y="54" font-size="11">${esc(text)}</text>`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="system-ui, -apple-system, Segoe UI, sans-serif" font-size="12" fill="${COLORS.text}">`,
    `<rect width="${WIDTH}" height="${height}" fill="#fff"/>`,
    '<text x="12" y="20" font-size="16" font-weight="bold">execution-engine benchmark</text>',
    `<text x="12" y="36" font-size="11" fill="#555">${esc(subtitle)}</text>`,
    key(12, COLORS.pass, 'target met'),
    key(100, COLORS.fail, 'target missed'),
    key(200, COLORS.none, 'no target (execa, for reference)'),
    `<text x="420" y="54" font-size="11" fill="#555">${esc('time ratios: lower is better · throughput ratios: higher is better')}</text>`,
    ...first.svg,
    ...second.svg,
    '</svg>',
    '',
  ].join('\n');
}
