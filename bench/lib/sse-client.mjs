/**
 * SSE readers in a process of their own, so the server's process does only the server's work (a
 * browser tab or another service reads from elsewhere too). `startSseClients()` spawns this file;
 * the child answers `ready`, then for each `{ url, token, clients }` line on stdin reads the
 * stream with that many concurrent `fetch`es and answers `{ counts }`: the lines each reader
 * received, parsed from every `output` event's JSON.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { trackChild } from './resources.mjs';

/**
 * Reads an execution's event stream to its end; returns how many lines its `output` events held.
 * @param {string} url
 * @param {string} token
 */
export async function readStream(url, token) {
  const response = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  if (response.status !== 200 || response.body === null) throw new Error(`SSE answered ${response.status}`);
  const decoder = new TextDecoder();
  let carry = '';
  let event = '';
  let lines = 0;
  for await (const chunk of response.body) {
    const text = carry + decoder.decode(chunk, { stream: true });
    let start = 0;
    let end = text.indexOf('\n', start);
    while (end !== -1) {
      const line = text.slice(start, end);
      if (line.startsWith('event: ')) event = line.slice(7);
      else if (line.startsWith('data: ') && event === 'output')
        lines += JSON.parse(line.slice(6)).lines.length;
      start = end + 1;
      end = text.indexOf('\n', start);
    }
    carry = text.slice(start);
  }
  return lines;
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
