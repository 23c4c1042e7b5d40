/**
 * Describes the machine a run happened on, for the report.
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';

/**
 * @typedef {{ cores: number, cpuModel: string, node: string, v8: string, platform: string,
 *   release: string, arch: string, memoryGiB: number, loadAverage: number[] }} Machine
 */

/** @returns {string} the CPU model, `lscpu`-style, falling back to os.cpus() */
function cpuModel() {
  const fromOs = os.cpus()[0]?.model?.trim();
  if (fromOs) return fromOs;
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('model name'));
    return line?.split(':')[1]?.trim() ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/** @returns {Machine} */
export function describeMachine() {
  return {
    cores: os.availableParallelism?.() ?? os.cpus().length,
    cpuModel: cpuModel(),
    node: process.version,
    v8: process.versions.v8,
    platform: os.platform(),
    release: os.release(),
    arch: os.arch(),
    memoryGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    loadAverage: os.loadavg().map((l) => Math.round(l * 100) / 100),
  };
}

/**
 * A warning when the machine was busy when the run started (1-minute load average above half the
 * cores): spawn-heavy figures then carry other processes' noise.
 * @param {Machine} m
 * @returns {string | undefined}
 */
export function busyWarning(m) {
  const load = m.loadAverage[0] ?? 0;
  if (load <= m.cores / 2) return undefined;
  return `the machine was busy at the start (load average ${load} on ${m.cores} cores): expect noisier figures`;
}

/**
 * One line for the report.
 * @param {Machine} m
 * @returns {string}
 */
export function machineLine(m) {
  return `${m.cores} cores, ${m.cpuModel}, ${m.memoryGiB} GiB RAM, Node ${m.node} (V8 ${m.v8}), ${m.platform} ${m.release} ${m.arch}; load average at start ${m.loadAverage.join(' / ')}`;
}
