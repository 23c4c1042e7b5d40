/**
 * Lines of `cat` delivered over Server-Sent Events by `execution-engine/http` (`serve()` on
 * loopback, batched lines, the terminal event without output) to one client and to 100 clients,
 * against the same lines taken in process by a batched `output` listener. The clients run in a
 * process of their own (as a browser or another service would): every client reads the whole
 * stream and counts the lines it received.
 */
import { pathToFileURL } from 'node:url';
import { batchedListenerRun } from '../lib/batched-listener.mjs';
import { engineModulePath, withEngine } from '../lib/contenders.mjs';
import { runRounds } from '../lib/harness.mjs';
import { linesFile } from '../lib/lines.mjs';
import { findRow, rowsFor, target } from '../lib/results.mjs';
import { startSseClients } from '../lib/sse-client.mjs';
import { medianRatio } from '../lib/stats.mjs';
import { OUTPUT_LIMIT } from './cat-collect.mjs';

/** @typedef {import('./sequential.mjs').WorkloadOptions} WorkloadOptions */

const IN_PROCESS = 'engine, in-process batched listener';
const ONE_CLIENT = 'engine over SSE, 1 client';
const MANY = 100;
const MANY_CLIENTS = `engine over SSE, ${MANY} clients`;

/** @param {{ quick: boolean }} options */
function sizes({ quick }) {
  return quick ? { one: 100_000, many: 10_000 } : { one: 1_000_000, many: 100_000 };
}

/** `execution-engine/http`, next to the engine module the harness loads. */
async function loadHttp() {
  return import(pathToFileURL(engineModulePath().replace(/index\.js$/, 'http.js')).href);
}

export default {
  id: 'sse-delivery',
  /** @param {WorkloadOptions} options */
  title: (options) =>
    `\`cat\` lines over SSE (${sizes(options).one.toLocaleString('en-US')} lines to 1 client, ${sizes(options).many.toLocaleString('en-US')} to ${MANY})`,

  /**
   * @param {WorkloadOptions} options
   * @returns {Promise<import('../lib/results.mjs').WorkloadResult>}
   */
  async run(options) {
    const { one, many } = sizes(options);
    const big = await linesFile(options.workDir, one);
    const small = await linesFile(options.workDir, many);
    const { serve } = await loadHttp();
    /** @type {string[]} */
    const problems = [];
    const config = { streamOutput: true, maxOutputSizeBytes: OUTPUT_LIMIT };
    /**
     * @param {any} engine @param {any} exec @param {{ path: string, bytes: number, lines: number }} file
     * @param {number} clients
     */
    const overSse = async (engine, exec, file, clients) => {
      const server = await serve(engine, { port: 0, dashboard: false });
      const readers = await startSseClients();
      try {
        const start = performance.now();
        const id = await engine.execute({ command: exec('cat', [file.path]) });
        const url = `${server.url}executions/${id}/events`;
        const counts = await readers.read({ url, token: server.token, clients });
        const ms = performance.now() - start;
        for (const count of counts) {
          if (count !== file.lines) problems.push(`an SSE client got ${count} of ${file.lines} lines`);
        }
        engine.removeExecution(id);
        return { mbPerSecond: (file.bytes * clients) / 1e6 / (ms / 1000) };
      } finally {
        await readers.close();
        await server.close();
      }
    };
    const series = await runRounds({
      ...options,
      contenders: [
        {
          name: IN_PROCESS,
          measure: () => batchedListenerRun(config, big, problems),
        },
        {
          name: ONE_CLIENT,
          measure: () => withEngine(config, (engine, { exec }) => overSse(engine, exec, big, 1)),
        },
        {
          name: MANY_CLIENTS,
          measure: () => withEngine(config, (engine, { exec }) => overSse(engine, exec, small, MANY)),
        },
      ],
    });
    const rows = rowsFor(this.id, series, {
      key: 'mbPerSecond',
      metric: 'throughput (bytes delivered to all clients)',
      unit: 'MB/s',
      better: 'higher',
    });
    const valid = problems.length === 0;
    return {
      id: this.id,
      title: this.title(options),
      rows,
      targets: [
        target({
          workload: this.id,
          label: 'SSE to 1 client vs in-process batched listener',
          description: 'lines delivered over SSE to one client vs the in-process batched listener',
          contender: ONE_CLIENT,
          basis: 'ratio',
          measured: medianRatio(series[ONE_CLIENT]?.mbPerSecond ?? [], series[IN_PROCESS]?.mbPerSecond ?? []),
          unit: '× in-process',
          op: '>=',
          limit: 0.5,
          valid,
        }),
      ],
      notes: [
        "Every client is a `node:http` request on loopback, in one reader process apart from the server's, reading the whole stream and parsing each `output` event's JSON to count its lines; the time runs from `execute()` until every client has seen the end of the stream.",
        `${MANY} clients: throughput counts the bytes of the output times the clients (each gets all of it).`,
        ...(findRow(rows, MANY_CLIENTS, 'throughput (bytes delivered to all clients)')
          ? []
          : ['100-client row missing']),
        ...[...new Set(problems)],
      ],
    };
  },
};
