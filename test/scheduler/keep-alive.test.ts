import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, test } from 'vitest';
import { fixture } from '../helpers/fixtures.js';

/** Runs the admission host in `mode`; resolves with its stdout, exit code and run time. */
async function runHost(mode: string): Promise<{ stdout: string; code: number | null; ms: number }> {
  const t0 = Date.now();
  const host = spawn(process.execPath, ['--import', 'tsx', fixture('admission-host.ts'), mode], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let stdout = '';
  host.stdout.on('data', (chunk) => {
    stdout += String(chunk);
  });
  const [code] = await once(host, 'exit');
  return { stdout, code: code as number | null, ms: Date.now() - t0 };
}

describe('admission and the Node event loop', () => {
  test("an idle engine exits at once, even while a group's pacing interval still runs", async () => {
    const { stdout, code, ms } = await runHost('idle');
    expect(stdout).toBe('idle\n');
    expect(code).toBe(0);
    expect(ms).toBeLessThan(30_000); // the group's interval is 60 s
  });

  test('work waiting for pacing or a queue deadline keeps Node alive until it has ended', async () => {
    const { stdout, code } = await runHost('paced');
    expect(code).toBe(0);
    expect(stdout.split('\n').filter(Boolean).sort()).toEqual([
      'first completed',
      'late failed',
      'second completed',
    ]);
  });
});
