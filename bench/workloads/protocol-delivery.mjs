/**
 * Lines of `cat` delivered through the JSON-RPC protocol (`execution-engine/protocol`) to an
 * `EngineClient` subscribed with batched lines: from a stdio sidecar (a child process, JSON lines
 * on its stdout) and over a `MessageChannel` of `node:worker_threads` (`flushIntervalMs: 16`, as
 * the Electron bridge), against the same lines taken in process by a batched `output` listener.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { MessageChannel } from 'node:worker_threads';
import { batchedListenerRun } from '../lib/batched-listener.mjs';
import { engineModulePath, withEngine } from '../lib/contenders.mjs';
import { runRounds } from '../lib/harness.mjs';
import { linesFile } from '../lib/lines.mjs';
import { trackChild } from '../lib/resources.mjs';
import { rowsFor, target } from '../lib/results.mjs';
import { medianRatio } from '../lib/stats.mjs';
import { OUTPUT_LIMIT } from './cat-collect.mjs';

/** @typedef {import('./sequential.mjs').WorkloadOptions} WorkloadOptions */

const IN_PROCESS = 'engine, in-process batched listener';
const STDIO = 'EngineClient over the stdio sidecar';
const PORT = 'EngineClient over a MessagePort (flushIntervalMs 16)';
const METRIC = 'throughput (bytes of lines delivered)';
const CONFIG = { streamOutput: true, maxOutputSizeBytes: OUTPUT_LIMIT };
const SIDECAR = fileURLToPath(new URL('../lib/stdio-sidecar.mjs', import.meta.url));

/** @param {{ quick: boolean }} options */
const linesOf = ({ quick }) => (quick ? 100_000 : 1_000_000);

/** `execution-engine/protocol` and `/client`, next to the engine module the harness loads. */
async function loadRemote() {
  const beside = (/** @type {string} */ name) =>
    import(pathToFileURL(engineModulePath().replace(/index\.js$/, `${name}.js`)).href);
  return { protocol: await beside('protocol'), client: await beside('client') };
}

/**
 * Runs `cat file` through `client`, subscribed with batched lines; returns the lines it counted.
 * @param {any} client @param {string} path
 */
async function deliver(client, path) {
  const id = await client.execute({ command: { type: 'exec', program: 'cat', args: [path] } });
  let lines = 0;
  for await (const event of client.subscribe(id, { lines: 'batched' })) {
    if (event.type === 'output') lines += event.lines.length;
  }
  await client.removeExecution(id);
  return lines;
}

export default {
  id: 'protocol-delivery',
  /** @param {WorkloadOptions} options */
  title: (options) =>
    `\`cat\` lines through the protocol (${linesOf(options).toLocaleString('en-US')} lines of 100 bytes, stdio sidecar and MessagePort)`,

  /**
   * @param {WorkloadOptions} options
   * @returns {Promise<import('../lib/results.mjs').WorkloadResult>}
   */
  async run(options) {
    const file = await linesFile(options.workDir, linesOf(options));
    const { protocol, client: clientModule } = await loadRemote();
    /** @type {string[]} */
    const problems = [];
    const check = (/** @type {string} */ who, /** @type {number} */ lines) => {
      if (lines !== file.lines) problems.push(`${who} got ${lines} of ${file.lines} lines`);
    };
    const throughput = (/** @type {number} */ ms) => ({ mbPerSecond: file.bytes / 1e6 / (ms / 1000) });
    const series = await runRounds({
      ...options,
      contenders: [
        {
          name: IN_PROCESS,
          measure: () => batchedListenerRun(CONFIG, file, problems),
        },
        {
          name: STDIO,
          measure: async () => {
            const child = trackChild(
              spawn(process.execPath, [SIDECAR, JSON.stringify(CONFIG)], {
                stdio: ['pipe', 'pipe', 'inherit'],
              }),
            );
            const client = new clientModule.EngineClient(clientModule.stdioTransport(child));
            try {
              await client.stats(); // the sidecar is up
              const start = performance.now();
              const lines = await deliver(client, file.path);
              const ms = performance.now() - start;
              check('the stdio client', lines);
              return throughput(ms);
            } finally {
              const exited = once(child, 'exit');
              await client.close();
              await exited;
            }
          },
        },
        {
          name: PORT,
          measure: () =>
            withEngine(CONFIG, async (engine) => {
              const { port1, port2 } = new MessageChannel();
              const server = protocol.serveProtocol(engine, protocol.messagePortServerTransport(port1), {
                flushIntervalMs: 16,
              });
              const client = new clientModule.EngineClient(clientModule.messagePortTransport(port2));
              try {
                const start = performance.now();
                const lines = await deliver(client, file.path);
                const ms = performance.now() - start;
                check('the MessagePort client', lines);
                return throughput(ms);
              } finally {
                await client.close();
                await server.close();
              }
            }),
        },
      ],
    });
    const rows = rowsFor(this.id, series, {
      key: 'mbPerSecond',
      metric: METRIC,
      unit: 'MB/s',
      better: 'higher',
    });
    const valid = problems.length === 0;
    const ratio = (/** @type {string} */ name) =>
      medianRatio(series[name]?.mbPerSecond ?? [], series[IN_PROCESS]?.mbPerSecond ?? []);
    return {
      id: this.id,
      title: this.title(options),
      rows,
      targets: [
        target({
          workload: this.id,
          label: 'stdio sidecar vs in-process batched listener',
          description:
            'lines delivered through the stdio sidecar to an EngineClient vs the in-process batched listener',
          contender: STDIO,
          basis: 'ratio',
          measured: ratio(STDIO),
          unit: '× in-process',
          op: '>=',
          limit: 0.15,
          valid,
        }),
        target({
          workload: this.id,
          label: 'MessagePort vs in-process batched listener',
          description:
            'lines delivered over a MessagePort to an EngineClient vs the in-process batched listener',
          contender: PORT,
          basis: 'ratio',
          measured: ratio(PORT),
          unit: '× in-process',
          op: '>=',
          limit: 0.2,
          valid,
        }),
      ],
      notes: [
        'The time runs from `execute()` until the client has seen the terminal event; the stdio contender includes the JSON encoding and parsing of every line, the MessagePort one the structured clone.',
        'The limits are floors against regressions (on this 2-core box the sidecar, its `cat` and the client share the cores), not goals.',
        'The stdio sidecar is `bench/lib/stdio-sidecar.mjs`: `serveProtocol` on stdin/stdout as `serve --stdio` runs it, with the engine configured like the in-process contender.',
        ...[...new Set(problems)],
      ],
    };
  },
};
