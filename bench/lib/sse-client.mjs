/**
 * SSE readers in a process of their own, so the server's process does only the server's work (a
 * browser tab or another service reads from elsewhere too). `startSseClients()` spawns this file;
 * the child answers `ready`, then for each `{ url, token, clients }` line on stdin reads the
 * stream with that many concurrent `fetch`es and answers `{ counts }`: the lines each reader
 * received, parsed from every `output` event's JSON.
 */
import { spawn } from 'node:child_process';
import { request } from 'node:http';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { trackChild } from './resources.mjs';

const EVENT = Buffer.from('event: ');
const DATA = Buffer.from('data: ');
const OUTPUT = Buffer.from('output');

/**
 * Reads an execution's event stream to its end; returns how many lines its `output` events held.
 * `node:http` rather than `fetch`: the reader should cost as little as it can.
 * @param {string} url
 * @param {string} token
 * @returns {Promise<number>}
 */
export function readStream(url, token) {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent: false, headers: { authorization: `Bearer ${token}` } }, (response) => {
      if (response.statusCode !== 200) {
        reject(new Error(`SSE answered ${response.statusCode}`));
        response.resume();
        return;
      }
      // Raw bytes, cut at line breaks: only an output event's `data:` line is decoded and parsed.
      /** @type {Buffer | undefined} */
      let carry;
      let output = false;
      let lines = 0;
      response.on('data', (/** @type {Buffer} */ chunk) => {
        const bytes = carry === undefined ? chunk : Buffer.concat([carry, chunk]);
        let start = 0;
        let end = bytes.indexOf(10, start);
        while (end !== -1) {
          if (bytes[start] === EVENT[0] && bytes.subarray(start, start + EVENT.length).equals(EVENT)) {
            output = bytes.subarray(start + EVENT.length, end).equals(OUTPUT);
          } else if (
            output &&
            bytes[start] === DATA[0] &&
            bytes.subarray(start, start + DATA.length).equals(DATA)
          ) {
            lines += JSON.parse(bytes.toString('utf8', start + DATA.length, end)).lines.length;
          }
          start = end + 1;
          end = bytes.indexOf(10, start);
        }
        carry = start < bytes.length ? bytes.subarray(start) : undefined;
      });
      response.on('end', () => resolve(lines));
      response.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/**
 * Starts the reader process; resolves once it is ready. `read()` sends it a stream to read and
 * resolves with the per-reader line counts; `close()` ends it.
 */
export async function startSseClients() {
  const child = trackChild(
    spawn(process.execPath, [fileURLToPath(import.meta.url)], { stdio: ['pipe', 'pipe', 'inherit'] }),
  );
  const answers = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const next = async () => {
    const { value, done } = await answers.next();
    if (done) throw new Error('the SSE reader process ended');
    return JSON.parse(value);
  };
  await next();
  return {
    /** @param {{ url: string, token: string, clients: number }} job @returns {Promise<number[]>} */
    async read(job) {
      child.stdin.write(`${JSON.stringify(job)}\n`);
      const answer = await next();
      if (answer.error) throw new Error(answer.error);
      return answer.counts;
    },
    async close() {
      child.stdin.end();
      if (child.exitCode === null) await new Promise((resolve) => child.once('exit', resolve));
    },
  };
}

async function main() {
  process.stdout.write('"ready"\n');
  for await (const line of createInterface({ input: process.stdin })) {
    const { url, token, clients } = JSON.parse(line);
    try {
      const counts = await Promise.all(Array.from({ length: clients }, () => readStream(url, token)));
      process.stdout.write(`${JSON.stringify({ counts })}\n`);
    } catch (error) {
      process.stdout.write(`${JSON.stringify({ error: String(error) })}\n`);
    }
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
