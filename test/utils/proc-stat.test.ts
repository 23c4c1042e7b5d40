import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { describe, expect, test } from 'vitest';
import { isLive, parseProcStat } from '../../src/utils/proc-stat.js';

/** A `/proc/<pid>/stat` line with `comm`, state, pgrp (field 5) 4242 and starttime (field 22) `start`. */
function statLine(comm: string, start: string, state = 'S'): string {
  const after = [state, '1', '4242', ...Array.from({ length: 16 }, (_, i) => String(i + 6)), start, '0', '0'];
  return `1234 (${comm}) ${after.join(' ')} 0 0 0\n`;
}

describe('parseProcStat', () => {
  test.each([
    ['plain', 'node'],
    ['with spaces', 'my worker 1'],
    ['with parentheses', 'a) (b) S 9 9'],
    ['ending in a parenthesis', 'weird)'],
  ])('reads the fields after the last parenthesis when the comm is %s', (_, comm) => {
    expect(parseProcStat(statLine(comm, '987654'))).toEqual({ state: 'S', pgrp: 4242, startTime: '987654' });
  });

  test.each([
    ['no parenthesis', '1234 node S 1 2'],
    ['too few fields', '1234 (node) S 1 2 3'],
    ['nothing after the comm', '1234 (node)'],
    ['a non-numeric start time', statLine('node', 'abc')],
    ['a non-numeric process group', statLine('node', '1').replace(' 4242 ', ' x ')],
    ['an empty file', ''],
  ])('returns undefined for %s', (_, text) => {
    expect(parseProcStat(text)).toBeUndefined();
  });

  test.each([
    ['R', true],
    ['S', true],
    ['D', true],
    ['T', true],
    ['Z', false],
    ['X', false],
  ])('a process in state %s is live: %s', (state, live) => {
    expect(isLive(parseProcStat(statLine('node', '1', state))!)).toBe(live);
  });

  test.runIf(process.platform === 'linux')('a detached child leads its own group, running', async () => {
    const child = spawn('sleep', ['30'], { detached: true, stdio: 'ignore' });
    try {
      const stat = parseProcStat(await readFile(`/proc/${child.pid}/stat`, 'latin1'));
      expect(stat).toMatchObject({ pgrp: child.pid, startTime: expect.stringMatching(/^\d+$/) });
      expect(isLive(stat!)).toBe(true);
    } finally {
      child.kill('SIGKILL');
    }
  });
});
