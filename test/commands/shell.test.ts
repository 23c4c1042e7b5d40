import { afterEach, describe, expect, test } from 'vitest';
import { shell } from '../../src/index.js';
import { SAMPLE_SCRIPTS_DIR } from '../helpers/fake-aws.js';
import { createEngine, shutDownTrackedEngines } from '../helpers/tracked-engine.js';

afterEach(shutDownTrackedEngines);

describe('shell runs its command through /bin/sh by default', () => {
  test.each([
    ['a pipe', "printf 'b\\na\\nc\\n' | sort", 'a\nb\nc'],
    ['&&', 'true && echo second', 'second'],
    ['||', 'false || echo fallback', 'fallback'],
    ['a semicolon list', 'echo one; echo two', 'one\ntwo'],
    ['a command substitution', 'echo "$(echo inner)"', 'inner'],
    ['arithmetic', 'echo $((6 * 7))', '42'],
    ['a redirection', 'echo moved >&2; echo stays', 'stays'],
    ['a here-document', 'cat <<EOF\nfrom heredoc\nEOF', 'from heredoc'],
    ['a multi-line script', 'x=1\ny=2\necho "$x$y"', '12'],
  ])('%s works', async (_name, line, stdout) => {
    const engine = createEngine();
    const result = await engine.run({ command: shell(line) });
    expect(result.stdout).toBe(stdout);
  });

  test('$VAR expands from the request env', async () => {
    const engine = createEngine();
    const result = await engine.run({
      command: shell('echo "$GREETING, $NAME"'),
      env: { GREETING: 'hello', NAME: 'world' },
    });
    expect(result.stdout).toBe('hello, world');
  });

  test('globs expand in the request cwd', async () => {
    const engine = createEngine();
    const result = await engine.run({ command: shell('echo plain.*'), cwd: SAMPLE_SCRIPTS_DIR });
    expect(result.stdout.split(' ').sort()).toEqual([
      'plain.js',
      'plain.mjs',
      'plain.py',
      'plain.sh',
      'plain.xyz',
    ]);
  });

  test('result.command is /bin/sh -c with the command line', async () => {
    const engine = createEngine();
    const result = await engine.run({ command: shell('echo hi | cat') });
    expect(result.command).toEqual({ file: '/bin/sh', args: ['-c', 'echo hi | cat'] });
  });

  test('the exit status of the shell is the exit code', async () => {
    const engine = createEngine();
    const id = await engine.execute({ command: shell('echo before; exit 3') });
    const result = await engine.waitForCompletion(id);
    expect(result).toMatchObject({ status: 'completed', exitCode: 3, success: false, stdout: 'before' });
  });

  test('stderr of the shell command is captured separately', async () => {
    const engine = createEngine();
    const result = await engine.run({ command: shell('echo to-out; echo to-err >&2') });
    expect(result).toMatchObject({ stdout: 'to-out', stderr: 'to-err' });
  });
});

describe('shell with a custom shell', () => {
  test('bash runs bash-only syntax', async () => {
    const engine = createEngine();
    // biome-ignore lint/suspicious/noTemplateCurlyInString: bash syntax, not a template
    const line = 'arr=(a b c); [[ ${#arr[@]} == 3 ]] && echo "bash ${BASH_VERSINFO[0]} ${arr[1]}"';
    const result = await engine.run({ command: shell(line, 'bash') });
    expect(result.stdout).toMatch(/^bash \d+ b$/);
    expect(result.command).toEqual({ file: 'bash', args: ['-c', line] });
  });

  test('the custom shell is found on the request PATH', async () => {
    const engine = createEngine();
    const result = await engine.run({ command: shell('echo "$0"', 'sh'), env: { PATH: '/usr/bin:/bin' } });
    expect(result.stdout).toBe('sh');
  });

  test('a custom shell that does not exist fails to spawn', async () => {
    const engine = createEngine();
    const id = await engine.execute({ command: shell('echo hi', 'execution-engine-no-such-shell') });
    const result = await engine.waitForCompletion(id);
    expect(result).toMatchObject({ status: 'failed', error: { code: 'SPAWN_FAILED' } });
    expect(result.error?.message).toContain('execution-engine-no-such-shell');
  });
});
