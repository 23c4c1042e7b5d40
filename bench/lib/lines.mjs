/**
 * Shared pieces of the large-output workloads: the generated file, the raw manual splitter and
 * the event-loop delay probe.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { finished } from 'node:stream/promises';
import { StringDecoder } from 'node:string_decoder';
import { trackChild, trackPath } from './resources.mjs';

/** Every line is 99 ASCII characters plus `\n`: 1,000,000 lines = 100 MB. */
export const LINE_BYTES = 100;

/**
 * @typedef {{ path: string, lines: number, bytes: number, chars: number }} LinesFile
 * `chars` is the total length of the lines without their line breaks.
 */

/** @type {Map<string, Promise<LinesFile>>} */
const files = new Map();

/**
 * Writes (once per run) a file of `lines` lines into `workDir`, registered for deletion.
 * @param {string} workDir
 * @param {number} lines
 * @returns {Promise<LinesFile>}
 */
export function linesFile(workDir, lines) {
  const path = join(workDir, `lines-${lines}.txt`);
  let file = files.get(path);
  if (!file) {
    file = writeLines(path, lines);
    files.set(path, file);
  }
  return file;
}

/**
 * @param {string} path
 * @param {number} lines
 * @returns {Promise<LinesFile>}
 */
async function writeLines(path, lines) {
  await mkdir(join(path, '..'), { recursive: true });
  trackPath(path);
  const out = createWriteStream(path);
  const filler = 'abcdefghijklmnopqrstuvwxyz0123456789'.repeat(3);
  const perChunk = 10_000;
  for (let first = 0; first < lines; first += perChunk) {
    let chunk = '';
    for (let i = first; i < Math.min(lines, first + perChunk); i++) {
      const head = `line ${String(i).padStart(9, '0')} `;
      chunk += `${head}${filler.slice(0, LINE_BYTES - 1 - head.length)}\n`;
    }
    if (!out.write(chunk)) await once(out, 'drain');
  }
  out.end();
  await finished(out);
  const { size } = await stat(path);
  if (size !== lines * LINE_BYTES)
    throw new Error(`${path}: expected ${lines * LINE_BYTES} bytes, got ${size}`);
  return { path, lines, bytes: size, chars: lines * (LINE_BYTES - 1) };
}

/**
 * The raw contender: spawn `cat`, decode the 'data' chunks, split them on `\n` with `indexOf`
 * (carrying a partial line to the next chunk) and hand every line to `onLine`.
 * With `keep`, every chunk read is also kept until the process closes (as a result's output is).
 * @param {string} path
 * @param {(line: string) => void} onLine
 * @param {{ keep?: boolean }} [options]
 * @returns {Promise<number | null>} the exit code
 */
export function rawSplit(path, onLine, { keep = false } = {}) {
  return new Promise((done, fail) => {
    const child = trackChild(spawn('cat', [path], { stdio: ['ignore', 'pipe', 'pipe'] }));
    const decoder = new StringDecoder('utf8');
    let carry = '';
    /** @type {Buffer[]} */
    const kept = [];
    child.stdout.on('data', (/** @type {Buffer} */ chunk) => {
      if (keep) kept.push(chunk);
      const text = carry + decoder.write(chunk);
      let start = 0;
      let end = text.indexOf('\n', start);
      while (end !== -1) {
        onLine(text.slice(start, end));
        start = end + 1;
        end = text.indexOf('\n', start);
      }
      carry = text.slice(start);
    });
    child.stderr.on('data', () => {});
    child.once('error', fail);
    child.once('close', (code) => {
      carry += decoder.end();
      if (carry.length > 0) onLine(carry);
      kept.length = 0;
      done(code);
    });
  });
}

/**
 * Counts lines and their characters, so every contender does the same per-line work.
 * @returns {{ onLine: (line: string) => void, readonly lines: number, readonly chars: number }}
 */
export function lineCounter() {
  let lines = 0;
  let chars = 0;
  return {
    onLine(line) {
      lines++;
      chars += line.length;
    },
    get lines() {
      return lines;
    },
    get chars() {
      return chars;
    },
  };
}

/**
 * Runs `body` under `perf_hooks.monitorEventLoopDelay` (1 ms resolution) and times it.
 * @template T
 * @param {() => Promise<T>} body
 * @returns {Promise<{ value: T, ms: number, eldP99: number, eldMax: number }>} delays in ms
 */
export async function withLoopDelay(body) {
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  histogram.enable();
  const start = performance.now();
  try {
    const value = await body();
    const ms = performance.now() - start;
    histogram.disable();
    return { value, ms, eldP99: histogram.percentile(99) / 1e6, eldMax: histogram.max / 1e6 };
  } finally {
    histogram.disable();
  }
}
