import { afterEach, describe, expect, test } from 'vitest';
import { type ExecutionEvent, exec } from '../../src/index.js';
import { jsonLines, PRINT_ARGV, SAMPLE_SCRIPTS_DIR, TEST_SCRIPTS_DIR } from '../helpers/fake-aws.js';
import { createEngine, shutDownTrackedEngines } from '../helpers/tracked-engine.js';

afterEach(shutDownTrackedEngines);

describe('exec passes arguments verbatim, without a shell', () => {
  test.each([
    ['spaces', 'with  two  spaces'],
    ['double quotes', '"double quoted"'],
    ['single quotes', "'single quoted'"],
    ['a variable', '$HOME'],
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal shell expansion that must arrive unexpanded
    ['a braced variable', '${PATH}'],
    ['a command substitution', '$(echo injected)'],
    ['backticks', '`echo injected`'],
    ['a semicolon', 'a; echo injected'],
    ['a pipe', 'a | cat'],
    ['an ampersand', 'a && echo injected'],
    ['a redirection', '> should-not-be-created.txt'],
    ['a glob', '*'],
    ['a question-mark glob', '?.js'],
    ['a tilde', '~'],
    ['a backslash', 'back\\slash'],
    ['a newline', 'two\nlines'],
    ['a tab', 'a\tb'],
    ['an empty string', ''],
    ['a lone dash', '-'],
    ['an option-looking argument', '--help'],
    ['unicode', 'ünïcødé ✓ 🎉'],
    ['a percent sign', '%PATH%'],
    ['a hash', '# not a comment'],
  ])('an argument with %s arrives unchanged', async (_name, arg) => {
    const engine = createEngine();
    const result = await engine.run({ command: exec(PRINT_ARGV, [arg]) });
    expect(jsonLines(result.stdout)).toEqual([arg]);
  });

  test('many tricky arguments at once arrive as separate, unchanged arguments in order', async () => {
    const engine = createEngine();
    const args = ['a b', '', '"', "'", '$HOME', ';', '*', '|', '&', '\\', 'x\ny'];
    const result = await engine.run({ command: exec(PRINT_ARGV, args), cwd: TEST_SCRIPTS_DIR });
    expect(jsonLines(result.stdout)).toEqual(args);
  });

  test('a program with no arguments gets none', async () => {
    const engine = createEngine();
    const result = await engine.run({ command: exec(PRINT_ARGV) });
    expect(result.stdout).toBe('');
  });

  test('a program name with shell syntax is a program name, not a command line', async () => {
    const engine = createEngine();
    const id = await engine.execute({ command: exec('echo hello; true') });
    const result = await engine.waitForCompletion(id);
    expect(result).toMatchObject({ status: 'failed', stdout: '', error: { code: 'SPAWN_FAILED' } });
  });
});

describe('result.command and the started event show what was spawned', () => {
  test('for exec, the program and the arguments as given', async () => {
    const engine = createEngine();
    const started = new Promise<ExecutionEvent>((resolve) => engine.once('started', resolve));
    const result = await engine.run({ command: exec(PRINT_ARGV, ['a b', '$X']) });
    expect(result.command).toEqual({ file: PRINT_ARGV, args: ['a b', '$X'] });
    expect(await started).toMatchObject({ type: 'started', command: result.command, pid: result.pid });
  });

  test('a queued execution already shows the command it will spawn', async () => {
    const engine = createEngine({ maxConcurrentExecutions: 1 });
    await engine.execute({ command: exec('sleep', ['5']) });
    const id = await engine.execute({ command: exec('echo', ['later']) });
    expect(engine.getExecution(id)).toMatchObject({
      status: 'queued',
      command: { file: 'echo', args: ['later'] },
    });
  });

  test('changing the args array after execute does not change what runs', async () => {
    const engine = createEngine();
    const args = ['original'];
    const id = await engine.execute({ command: exec(PRINT_ARGV, args) });
    args[0] = 'changed';
    args.push('added');
    const result = await engine.waitForCompletion(id);
    expect(jsonLines(result.stdout)).toEqual(['original']);
    expect(result.command.args).toEqual(['original']);
  });
});

describe('exec exit status', () => {
  test.each([
    [0, true],
    [1, false],
    [42, false],
  ])('exit code %i is completed with success %s', async (code, success) => {
    const engine = createEngine();
    const id = await engine.execute({ command: exec(`${TEST_SCRIPTS_DIR}/exit-with.js`, [String(code)]) });
    const result = await engine.waitForCompletion(id);
    expect(result).toMatchObject({ status: 'completed', exitCode: code, success, signal: null });
  });

  test('a file that is not executable fails to spawn', async () => {
    const engine = createEngine();
    const id = await engine.execute({ command: exec(`${SAMPLE_SCRIPTS_DIR}/plain.sh`) });
    const result = await engine.waitForCompletion(id);
    expect(result).toMatchObject({ status: 'failed', error: { code: 'SPAWN_FAILED' } });
    expect(result.error?.message).toMatch(/EACCES/);
  });

  test('the process runs in the request cwd', async () => {
    const engine = createEngine();
    const result = await engine.run({ command: exec('pwd'), cwd: SAMPLE_SCRIPTS_DIR });
    expect(result.stdout).toBe(SAMPLE_SCRIPTS_DIR);
  });
});
