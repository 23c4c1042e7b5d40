#!/usr/bin/env node
// Usage: sse-clients.js <url> <token> <full> <disconnect> <stall> <lines> <width>
// Opens <full> + <disconnect> + <stall> SSE connections to <url> at once (node:http, one socket
// each), as a crowd of browser tabs would:
// - full: read the whole stream; each checks its output lines are `line 1` ... `line <lines>`
//   (print-lines.js padded to <width>) exactly once, in order, and that the stream ended with the
//   terminal event;
// - disconnect: read a random amount (up to a tenth of the stream), then destroy the socket;
// - stall: read the response head, then never read again, until every full reader is done;
//   then read what is left (the server must have cut them off: no terminal event).
// Prints one JSON line: { full: [{ lines, inOrder, terminal }], disconnected, stalled: [{ terminal }] }.
import { request } from 'node:http';

const [url, token, full, disconnect, stall, expected, width] = process.argv.slice(2);
const counts = { full: Number(full), disconnect: Number(disconnect), stall: Number(stall) };
const total = Number(expected);

function open() {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent: false, headers: { authorization: `Bearer ${token}` } }, resolve);
    req.on('error', reject);
    req.end();
  });
}

/** Reads SSE messages from a response, calling `onMessage(event, data)` for each. */
function readMessages(response, onMessage) {
  let carry = '';
  let event = '';
  response.setEncoding('utf8');
  response.on('data', (text) => {
    const all = carry + text;
    let start = 0;
    let end = all.indexOf('\n', start);
    while (end !== -1) {
      const line = all.slice(start, end);
      if (line.startsWith('event: ')) event = line.slice(7);
      else if (line.startsWith('data: ')) onMessage(event, line.slice(6));
      start = end + 1;
      end = all.indexOf('\n', start);
    }
    carry = all.slice(start);
  });
}

async function fullReader() {
  const response = await open();
  const seen = { lines: 0, inOrder: true, terminal: false };
  readMessages(response, (event, data) => {
    if (event === 'output') {
      for (const line of JSON.parse(data).lines) {
        seen.lines++;
        if (line !== `line ${seen.lines}`.padEnd(Number(width), '.')) seen.inOrder = false;
      }
    } else if (event === 'completed') {
      seen.terminal = true;
    }
  });
  await new Promise((resolve) => {
    response.on('end', resolve);
    response.on('error', (error) => {
      seen.error = String(error);
      resolve();
    });
  });
  seen.inOrder &&= seen.lines === total;
  return seen;
}

async function disconnectingReader() {
  const response = await open();
  const limit = Math.floor(Math.random() * (total * 10));
  let read = 0;
  response.on('error', () => {});
  await new Promise((resolve) => {
    response.on('data', (chunk) => {
      read += chunk.length;
      if (read >= limit) response.destroy();
    });
    response.on('close', resolve);
  });
}

async function stalledReader() {
  const response = await open();
  // The server cuts it off: the error that follows is expected.
  response.on('error', () => {});
  response.pause();
  return {
    async finish() {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk) => {
        text += chunk;
        if (text.length > 1_000_000) text = text.slice(-1000);
      });
      response.resume();
      await new Promise((resolve) => response.on('close', resolve));
      return { terminal: text.includes('event: completed') };
    },
  };
}

const stalled = await Promise.all(Array.from({ length: counts.stall }, stalledReader));
const [fulls] = await Promise.all([
  Promise.all(Array.from({ length: counts.full }, fullReader)),
  Promise.all(Array.from({ length: counts.disconnect }, disconnectingReader)),
]);
const stalledResults = await Promise.all(stalled.map((reader) => reader.finish()));
process.stdout.write(
  `${JSON.stringify({ full: fulls, disconnected: counts.disconnect, stalled: stalledResults })}\n`,
);
