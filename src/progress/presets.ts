import type { ProgressParser, ProgressPreset, ProgressUpdate } from './progress-types.js';

const PERCENT_SIGN = 37; // '%'
const SLASH = 47; // '/'
const DOT = 46; // '.'
const COMMA = 44; // ','
const MINUS = 45; // '-'
const BRACE = 123; // '{'

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

/** Letters, digits and `_`: a number touching one is part of a word (`x86`, `v2`, `id_7`). */
function isWordChar(code: number): boolean {
  return isDigit(code) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95;
}

/**
 * `line.lastIndexOf(char)`, by forward searches: V8's `indexOf` is several times faster than its
 * `lastIndexOf`, and most lines hold the character once or not at all.
 */
function lastIndexOf(line: string, char: string): number {
  let at = line.indexOf(char);
  if (at === -1) return -1;
  for (let next = line.indexOf(char, at + 1); next !== -1; next = line.indexOf(char, at + 1)) at = next;
  return at;
}

/** Start of the run of digits that ends just before `end`. */
function digitsBefore(line: string, end: number): number {
  let start = end;
  while (start > 0 && isDigit(line.charCodeAt(start - 1))) start--;
  return start;
}

/** The value of the digits `line[start..end)`, read from the character codes (no substring). */
function digitsValue(line: string, start: number, end: number): number {
  let value = 0;
  for (let i = start; i < end; i++) value = value * 10 + line.charCodeAt(i) - 48;
  return value;
}

/** Digits beyond which a number is read with `Number()`: below it the sums are exact. */
const EXACT_DIGITS = 15;

/**
 * The number `12` or `12.5` right before the `%` at `end`, unless it is part of something else:
 * a word (`x86%`), a version (`1.2.5%`), a negative number (`-5%`) or a `%` escape (`%20%`).
 * This runs on every line of a progress bar, so it reads character codes, not substrings.
 */
function percentBefore(line: string, end: number): number | undefined {
  let start = digitsBefore(line, end);
  if (start === end) return undefined;
  let dot = -1;
  if (start > 1 && line.charCodeAt(start - 1) === DOT && isDigit(line.charCodeAt(start - 2))) {
    dot = start - 1;
    start = digitsBefore(line, dot);
  }
  if (start > 0) {
    const before = line.charCodeAt(start - 1);
    if (isWordChar(before) || before === DOT || before === MINUS || before === PERCENT_SIGN) return undefined;
  }
  if (end - start > EXACT_DIGITS) return Number(line.slice(start, end));
  if (dot === -1) return digitsValue(line, start, end);
  // One division of two exact integers: rounded as `Number('12.5')` would be.
  const decimals = end - dot - 1;
  return (digitsValue(line, start, dot) * 10 ** decimals + digitsValue(line, dot + 1, end)) / 10 ** decimals;
}

/**
 * The `percent` preset: the last `NN%` or `NN.N%` of the line that is from 0 to 100. Larger
 * values (`250% CPU`) and numbers that are part of something else are skipped.
 * @example `[#####     ] 45.5% eta 3s` → `{ percent: 45.5 }`
 */
export function parsePercent(line: string): ProgressUpdate | undefined {
  let at = lastIndexOf(line, '%');
  while (at > 0) {
    const percent = percentBefore(line, at);
    if (percent !== undefined && percent <= 100) return { percent };
    at = line.lastIndexOf('%', at - 1);
  }
  return undefined;
}

/** Whether the character before a fraction's numerator lets it stand alone. */
function fractionMayFollow(code: number): boolean {
  return !(isWordChar(code) || code === DOT || code === COMMA || code === SLASH || code === MINUS);
}

/** Whether the text at `end`, right after a fraction's denominator, lets it stand alone. */
function fractionMayPrecede(line: string, end: number): boolean {
  if (end >= line.length) return true;
  const code = line.charCodeAt(end);
  if (isWordChar(code) || code === SLASH) return false;
  // `3/4.5` or `1/2,000`: the denominator goes on.
  return !((code === DOT || code === COMMA) && isDigit(line.charCodeAt(end + 1)));
}

/** The fraction `n/m` around the `/` at `slash`, if it stands alone and `0 <= n <= m`, `m > 0`. */
function fractionAt(line: string, slash: number): ProgressUpdate | undefined {
  const start = digitsBefore(line, slash);
  if (start === slash) return undefined;
  let end = slash + 1;
  while (end < line.length && isDigit(line.charCodeAt(end))) end++;
  if (end === slash + 1) return undefined;
  if (start > 0 && !fractionMayFollow(line.charCodeAt(start - 1))) return undefined;
  if (!fractionMayPrecede(line, end)) return undefined;
  const current = Number(line.slice(start, slash));
  const total = Number(line.slice(slash + 1, end));
  if (total === 0 || current > total || !Number.isSafeInteger(total)) return undefined;
  return { percent: (current / total) * 100, current, total };
}

/**
 * The `fraction` preset: the last `n/m` of the line with whole numbers `0 <= n <= m` and `m > 0`.
 * Parts of dates and paths (`12/31/2024`, `2024/12/31`, `a/1/2`), decimals (`1.5/3`) and numbers
 * in words (`x1/2`, `1/2s`) are skipped. A bare `12/31` cannot be told from "12 of 31" and is read.
 * @example `[3/12] Compiling foo.c` → `{ percent: 25, current: 3, total: 12 }`
 */
export function parseFraction(line: string): ProgressUpdate | undefined {
  let slash = lastIndexOf(line, '/');
  while (slash > 0) {
    const update = fractionAt(line, slash);
    if (update !== undefined) return update;
    slash = line.lastIndexOf('/', slash - 1);
  }
  return undefined;
}

function isNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/**
 * The `json` preset: a line that is a JSON object with a numeric `percent` (0–100), or numeric
 * `current` and `total` (`0 <= current <= total`, `total > 0`), and optionally a string
 * `message`. Lines whose first non-blank character is not `{` are skipped without parsing.
 * @example `{"current": 30, "total": 120, "message": "uploading"}` → `{ percent: 25, current: 30, total: 120, message: 'uploading' }`
 */
export function parseJsonProgress(line: string): ProgressUpdate | undefined {
  let first = 0;
  while (first < line.length && (line.charCodeAt(first) === 32 || line.charCodeAt(first) === 9)) first++;
  if (line.charCodeAt(first) !== BRACE) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const { percent, current, total, message } = value as Record<string, unknown>;
  const update: ProgressUpdate = {};
  if (isNumber(percent) && percent >= 0 && percent <= 100) update.percent = percent;
  if (isNumber(current) && isNumber(total) && total > 0 && current >= 0 && current <= total) {
    update.percent ??= (current / total) * 100;
    update.current = current;
    update.total = total;
  }
  if (update.percent === undefined) return undefined;
  if (typeof message === 'string') update.message = message;
  return update;
}

/** The built-in parsers by name. */
export const PROGRESS_PRESETS: Readonly<Record<ProgressPreset, ProgressParser>> = Object.freeze({
  percent: parsePercent,
  fraction: parseFraction,
  json: parseJsonProgress,
});

/** True for the built-in parsers, whose updates need no checking. */
export function isPreset(parser: ProgressParser): boolean {
  return parser === parsePercent || parser === parseFraction || parser === parseJsonProgress;
}
