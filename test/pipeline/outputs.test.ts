import { existsSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { exec, shell } from '../../src/index.js';
import { createEngine } from '../helpers/engine.js';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('EXECUTION_OUTPUT', () => {
  test('every execution gets a fresh path in a private directory; what it writes becomes result.outputs', async () => {
    const engine = createEngine();
    const first = await engine.run({
      command: shell('echo "$EXECUTION_OUTPUT"; [ ! -e "$EXECUTION_OUTPUT" ] && echo fresh'),
    });
    const [path, fresh] = first.stdout.split('\n');
    expect(fresh).toBe('fresh');
    expect(statSync(dirname(path!)).mode & 0o777).toBe(0o700);
    expect(first.outputs).toEqual({});
    const second = await engine.run({
      command: shell(
        'echo "$EXECUTION_OUTPUT"; printf "version=1.2.3\\nnotes<<EOF\\nline one\\nline two\\nEOF\\nurl=a=b\\n" >> "$EXECUTION_OUTPUT"',
      ),
    });
    expect(second.stdout).not.toBe(path);
    expect(second.outputs).toEqual({ version: '1.2.3', notes: 'line one\nline two', url: 'a=b' });
    // The file is removed when the execution ends.
    expect(existsSync(second.stdout)).toBe(false);
  });

  test('outputs never come from stdout markers', async () => {
    const engine = createEngine();
    const result = await engine.run({
      command: shell('echo "version=9"; echo "::set-output name=version::9"'),
    });
    expect(result.outputs).toEqual({});
  });

  test('the private directory is removed at shutdown', async () => {
    const engine = createEngine();
    const { stdout } = await engine.run({ command: shell('echo "$EXECUTION_OUTPUT"') });
    expect(existsSync(dirname(stdout))).toBe(true);
    await engine.shutdown();
    expect(existsSync(dirname(stdout))).toBe(false);
  });

  test('a retried execution reports the outputs of its last attempt', async () => {
    const engine = createEngine();
    const marker = join(await mkdtemp(join(tmpdir(), 'outputs-')), 'tried');
    dirs.push(dirname(marker));
    const script = `if [ -e ${marker} ]; then echo "attempt=2" >> "$EXECUTION_OUTPUT"; else touch ${marker}; echo "first=yes" >> "$EXECUTION_OUTPUT"; exit 1; fi`;
    const result = await engine.run({
      command: shell(script),
      retry: { attempts: 2, delayMs: 10, jitter: false },
    });
    expect(result.outputs).toEqual({ attempt: '2' });
  });
});

describe('outputs between steps', () => {
  test('a placeholder in env passes a dependency output; shell syntax in it is never executed', async () => {
    const engine = createEngine();
    const dir = await mkdtemp(join(tmpdir(), 'injection-'));
    dirs.push(dir);
    const pwned = join(dir, 'pwned');
    const evil = `$(touch ${pwned}) \`touch ${pwned}\`; touch ${pwned}`;
    const result = await engine.runPipeline({
      steps: [
        {
          key: 'produce',
          request: {
            command: exec('sh', ['-c', 'printf "%s\\n" "value=$1" >> "$EXECUTION_OUTPUT"', 'sh', evil]),
          },
        },
        {
          key: 'consume',
          dependsOn: ['produce'],
          request: {
            command: shell('echo "got: $VALUE"'),
            env: { VALUE: 'v=${{ steps.produce.outputs.value }}!' },
          },
        },
        {
          key: 'missing',
          dependsOn: ['produce'],
          request: { command: shell('echo "[$M]"'), env: { M: '${{ steps.produce.outputs.nothing }}' } },
        },
      ],
    });
    expect(result.results.produce!.outputs.value).toBe(evil);
    expect(result.results.consume!.stdout).toBe(`got: v=${evil}!`);
    expect(result.results.missing!.stdout).toBe('[]');
    expect(existsSync(pwned)).toBe(false);
  });
});
