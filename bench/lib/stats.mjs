/**
 * Small statistics helpers. Every figure in the report is a median over rounds, shown with its
 * min–max, and every ratio is the median of the per-round ratios (never a ratio of medians).
 */

/**
 * @param {readonly number[]} values
 * @returns {number[]} a sorted copy
 */
function sorted(values) {
  return [...values].sort((a, b) => a - b);
}

/**
 * Quantile with linear interpolation between closest ranks.
 * @param {readonly number[]} values
 * @param {number} q from 0 to 1
 * @returns {number} NaN for an empty list
 */
export function quantile(values, q) {
  if (values.length === 0) return Number.NaN;
  const s = sorted(values);
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo] + (s[hi] - s[lo]) * (pos - lo);
}

/**
 * @param {readonly number[]} values
 * @returns {number}
 */
export function median(values) {
  return quantile(values, 0.5);
}

/**
 * @param {readonly number[]} values
 * @returns {number}
 */
export function min(values) {
  return values.length === 0 ? Number.NaN : Math.min(...values);
}

/**
 * @param {readonly number[]} values
 * @returns {number}
 */
export function max(values) {
  return values.length === 0 ? Number.NaN : Math.max(...values);
}

/**
 * @typedef {{ median: number, min: number, max: number, n: number }} Summary
 */

/**
 * @param {readonly number[]} values
 * @returns {Summary}
 */
export function summarize(values) {
  return { median: median(values), min: min(values), max: max(values), n: values.length };
}

/**
 * Per-round ratios `a[i] / b[i]` of two series measured in the same rounds.
 * @param {readonly number[]} a
 * @param {readonly number[]} b
 * @returns {number[]}
 */
export function ratios(a, b) {
  const n = Math.min(a.length, b.length);
  const out = [];
  for (let i = 0; i < n; i++) out.push(a[i] / b[i]);
  return out;
}

/**
 * Median of the per-round ratios `a[i] / b[i]`.
 * @param {readonly number[]} a
 * @param {readonly number[]} b
 * @returns {number}
 */
export function medianRatio(a, b) {
  return median(ratios(a, b));
}

/**
 * Checks `value op limit`.
 * @param {number} value
 * @param {'<=' | '>='} op
 * @param {number} limit
 * @returns {boolean}
 */
export function meets(value, op, limit) {
  if (!Number.isFinite(value)) return false;
  return op === '<=' ? value <= limit : value >= limit;
}

/**
 * Formats a number with a precision that suits its magnitude.
 * @param {number} value
 * @returns {string}
 */
export function fmt(value) {
  if (!Number.isFinite(value)) return 'n/a';
  const abs = Math.abs(value);
  if (abs >= 1000) return Math.round(value).toLocaleString('en-US');
  if (abs >= 100) return value.toFixed(0);
  if (abs >= 10) return value.toFixed(1);
  if (abs >= 1 || abs === 0) return value.toFixed(2);
  return String(Number(value.toPrecision(3)));
}
