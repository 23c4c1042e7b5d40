/**
 * The in-process baseline of the remote-delivery workloads: the engine runs `cat` of a lines file
 * with a batched `output` listener counting the lines. Shared by sse-delivery and
 * protocol-delivery, so both compare against the same thing.
 */
import { withEngine } from './contenders.mjs';

/**
 * One measured run; a wrong line count is added to `problems`.
 * @param {object} config engine configuration
 * @param {{ path: string, bytes: number, lines: number }} file
 * @param {string[]} problems
 * @returns {Promise<{ mbPerSecond: number }>}
 */
export function batchedListenerRun(config, file, problems) {
  return withEngine(config, async (engine, { exec }) => {
    let lines = 0;
    engine.on('output', (/** @type {{ lines: string[] }} */ event) => {
      lines += event.lines.length;
    });
    const start = performance.now();
    const result = await engine.run({ command: exec('cat', [file.path]) });
    const ms = performance.now() - start;
    if (lines !== file.lines) problems.push(`the listener got ${lines} of ${file.lines} lines`);
    engine.removeExecution(result.id);
    return { mbPerSecond: file.bytes / 1e6 / (ms / 1000) };
  });
}
