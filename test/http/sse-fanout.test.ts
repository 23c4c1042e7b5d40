import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { exec } from '../../src/index.js';
import { createEngine } from '../helpers/engine.js';
import { fixture, node } from '../helpers/fixtures.js';
import { startServer } from '../helpers/http.js';
import { eventually } from '../helpers/processes.js';

const STRESS = process.env.STRESS === '1';
/** The opt-in run: 1,000 clients on 50 MB; the default one: 200 clients on 5 MB. */
const PLAN = STRESS
  ? { lines: 500_000, width: 100, full: 100, disconnect: 850, stall: 50 }
  : { lines: 50_000, width: 100, full: 20, disconnect: 170, stall: 10 };
const CLIENTS = PLAN.full + PLAN.disconnect + PLAN.stall;
const OUTPUT_BYTES = PLAN.lines * (PLAN.width + 1);

interface Report {
  full: { lines: number; inOrder: boolean; terminal: boolean }[];
  disconnected: number;
  stalled: { terminal: boolean }[];
}

const sockets = () => process.getActiveResourcesInfo().filter((name) => name === 'TCPSocketWrap').length;

describe('SSE fan-out', () => {
  it(
    `${CLIENTS} clients on one execution printing ${OUTPUT_BYTES / 1e6} MB: fast ones get every line, the rest are let go, memory stays bounded`,
    async () => {
      const engine = createEngine({ maxOutputSizeBytes: OUTPUT_BYTES + 1024 * 1024 });
      // A client taking nothing for two heartbeats while data waits is let go; the readers that
      // read everything share one busy process, so give them a few seconds.
      const server = await startServer(engine, { heartbeatMs: 2000 });
      // The command waits for a line on stdin, so every client is connected before output starts.
      const script = `read go; exec "${node}" "${fixture('print-lines.js')}" ${PLAN.lines} stdout ${PLAN.width}`;
      const id = await engine.execute({ command: exec('sh', ['-c', script]), stdin: 'pipe' });
      const socketsBefore = sockets();
      const url = `${server.url}executions/${id}/events`;
      const args = [fixture('sse-clients.js'), url, server.token!];
      for (const n of [PLAN.full, PLAN.disconnect, PLAN.stall, PLAN.lines, PLAN.width]) args.push(String(n));
      const clients = spawn(node, args, { stdio: ['ignore', 'pipe', 'inherit'] });
      let out = '';
      clients.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
      });
      const exited = new Promise<number | null>((resolve) => clients.once('exit', resolve));
      expect(await eventually(() => server.handler.openStreams === CLIENTS, 60_000)).toBe(true);

      const memory = () => {
        const { heapUsed, arrayBuffers } = process.memoryUsage();
        return heapUsed + arrayBuffers;
      };
      const before = memory();
      let peak = before;
      const sampler = setInterval(() => {
        peak = Math.max(peak, memory());
      }, 20);
      await engine.writeInput(id, 'go\n');
      await engine.closeInput(id);
      expect(await exited).toBe(0);
      clearInterval(sampler);

      const report = JSON.parse(out) as Report;
      expect(report.full).toHaveLength(PLAN.full);
      for (const reader of report.full)
        expect(reader).toEqual({ lines: PLAN.lines, inOrder: true, terminal: true });
      expect(report.disconnected).toBe(PLAN.disconnect);
      expect(report.stalled).toHaveLength(PLAN.stall);
      // 50 MB cannot sit in a socket's kernel buffers: the stalled clients were cut off before the end.
      if (STRESS) expect(report.stalled.filter((reader) => reader.terminal)).toEqual([]);
      // Every subscription released, every socket closed.
      expect(await eventually(() => server.handler.openStreams === 0, 30_000)).toBe(true);
      expect(await eventually(() => sockets() <= socketsBefore, 30_000)).toBe(true);
      // Bounded: the stored output (its bytes, then its text), and a bounded amount per client,
      // never what was sent (here up to CLIENTS times the output).
      const growth = peak - before;
      const bound = 2 * OUTPUT_BYTES + CLIENTS * 256 * 1024;
      expect(growth).toBeLessThan(bound);
      console.info(
        `${CLIENTS} clients, ${OUTPUT_BYTES / 1e6} MB: peak heap + buffers growth ${(growth / 1e6).toFixed(0)} MB (bound ${(bound / 1e6).toFixed(0)} MB)`,
      );
    },
    STRESS ? 600_000 : 120_000,
  );
});
