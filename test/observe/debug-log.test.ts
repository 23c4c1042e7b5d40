import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, test } from 'vitest';
import { debugText } from '../../src/observe/debug-log.js';
import { fixture, node } from '../helpers/fixtures.js';

const run = promisify(execFile);

/** Runs test-scripts/debug-host.ts with `NODE_DEBUG` set to `debug`; resolves with its stderr lines. */
async function hostStderr(debug: string | undefined): Promise<string[]> {
  const env = { ...process.env };
  delete env.NODE_DEBUG;
  if (debug !== undefined) env.NODE_DEBUG = debug;
  const { stdout, stderr } = await run(node, ['--import', 'tsx', fixture('debug-host.ts')], { env });
  expect(stdout).toBe('done\n');
  return stderr.split('\n').filter((line) => line !== '' && !line.startsWith('exiting'));
}

describe('NODE_DEBUG=execution-engine', () => {
  test('prints one line per state change: id, status, pid, attempt, duration, error code', async () => {
    const lines = await hostStderr('execution-engine');
    const prefix = /^EXECUTION-ENGINE \d+: /;
    for (const line of lines) expect(line).toMatch(prefix);
    const text = lines.map((line) => line.replace(prefix, ''));
    const of = (id: string) => text.filter((line) => line.startsWith(`id=${id} `));
    expect(of('ok')).toEqual([
      expect.stringMatching(/^id=ok status=running pid=\d+ attempt=1$/),
      expect.stringMatching(/^id=ok status=completed pid=\d+ attempt=1 durationMs=\d+ exitCode=0$/),
    ]);
    expect(of('fails')).toEqual([
      expect.stringMatching(/^id=fails status=running pid=\d+ attempt=1$/),
      'id=fails status=queued attempt=2 delayMs=10 previous=completed exitCode=3',
      expect.stringMatching(/^id=fails status=running pid=\d+ attempt=2$/),
      expect.stringMatching(/^id=fails status=completed pid=\d+ attempt=2 durationMs=\d+ exitCode=3$/),
    ]);
    expect(of('missing')).toEqual([
      expect.stringMatching(
        /^id=missing status=failed attempt=1 durationMs=0 error=SPAWN_FAILED exitCode=null$/,
      ),
    ]);
    expect(of('waits')).toEqual([
      'id=waits status=queued position=1',
      'id=waits status=cancelled attempt=0 durationMs=0 exitCode=null',
    ]);
    expect(of('sleeps').at(-1)).toMatch(
      /^id=sleeps status=cancelled pid=\d+ attempt=1 durationMs=\d+ exitCode=null signal=SIGTERM$/,
    );
  });

  test('prints nothing when NODE_DEBUG does not name it', async () => {
    expect(await hostStderr(undefined)).toEqual([]);
    const others = await hostStderr('http,net,execution');
    expect(others.filter((line) => line.startsWith('EXECUTION-ENGINE'))).toEqual([]);
  });
});

test('lines, progress and output limits are no state change: no debug line', () => {
  const base = { executionId: 'x', seq: 1, timestamp: 0 };
  expect(debugText({ ...base, type: 'stdout', line: 'hello' })).toBeUndefined();
  expect(debugText({ ...base, type: 'progress', progress: { percent: 5 } })).toBeUndefined();
  expect(
    debugText({ ...base, type: 'outputTruncated', limitBytes: 1, strategy: 'truncateWithWarning' }),
  ).toBeUndefined();
  expect(debugText({ ...base, type: 'recovered', classification: 'adopted' })).toBe('id=x recovered=adopted');
});
