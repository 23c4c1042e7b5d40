import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { awsCli, exec, shell } from '../../src/index.js';
import {
  FAKE_AWS_DIR,
  FAKE_AWS_ONLY_PATH,
  jsonLines,
  pathWith,
  TEST_SCRIPTS_DIR,
} from '../helpers/fake-aws.js';
import { createEngine, shutDownTrackedEngines } from '../helpers/tracked-engine.js';

const INHERITED = 'EXECUTION_ENGINE_TEST_INHERITED';
const OVERRIDDEN = 'EXECUTION_ENGINE_TEST_OVERRIDDEN';
const GIVEN = 'EXECUTION_ENGINE_TEST_GIVEN';

beforeEach(() => {
  process.env[INHERITED] = 'from the parent';
  process.env[OVERRIDDEN] = 'parent value';
});

afterEach(async () => {
  await shutDownTrackedEngines();
  delete process.env[INHERITED];
  delete process.env[OVERRIDDEN];
});

/** Node one-liner printing the child's environment as JSON. */
const printEnv = exec(process.execPath, ['-e', 'process.stdout.write(JSON.stringify(process.env))']);

describe('env merged over process.env', () => {
  test('request env is added to the inherited environment', async () => {
    const engine = createEngine();
    const result = await engine.run({ command: printEnv, env: { [GIVEN]: 'from the request' } });
    const env = JSON.parse(result.stdout) as Record<string, string>;
    expect(env[GIVEN]).toBe('from the request');
    expect(env[INHERITED]).toBe('from the parent');
    expect(env.PATH).toBe(process.env.PATH);
  });

  test('request env wins over a variable of process.env', async () => {
    const engine = createEngine();
    const result = await engine.run({
      command: shell(`printf '%s' "$${OVERRIDDEN}"`),
      env: { [OVERRIDDEN]: 'request value' },
    });
    expect(result.stdout).toBe('request value');
  });

  test('without env the child sees exactly process.env, plus EXECUTION_OUTPUT', async () => {
    const engine = createEngine();
    const result = await engine.run({ command: printEnv });
    const { EXECUTION_OUTPUT, ...rest } = JSON.parse(result.stdout) as Record<string, string>;
    expect(rest).toEqual(process.env);
    expect(EXECUTION_OUTPUT).toMatch(/execution-engine-outputs-/);
  });

  test('the engine process environment is not changed by a request env', async () => {
    const engine = createEngine();
    await engine.run({ command: exec('true'), env: { [GIVEN]: 'x', [INHERITED]: 'changed' } });
    expect(process.env[GIVEN]).toBeUndefined();
    expect(process.env[INHERITED]).toBe('from the parent');
  });

  test('an empty-string value is passed as an empty variable, not dropped', async () => {
    const engine = createEngine();
    const result = await engine.run({ command: printEnv, env: { [GIVEN]: '' } });
    expect(JSON.parse(result.stdout)).toHaveProperty(GIVEN, '');
  });

  test('a value with spaces, quotes and newlines arrives unchanged', async () => {
    const engine = createEngine();
    const value = `a "quoted" 'value'\nwith $HOME and ; | *`;
    const result = await engine.run({ command: printEnv, env: { [GIVEN]: value } });
    expect(JSON.parse(result.stdout)).toHaveProperty(GIVEN, value);
  });
});

/** `env` output without the EXECUTION_OUTPUT variable every execution gets. */
const withoutOutputVar = (stdout: string) =>
  stdout.split('\n').filter((line) => line !== '' && !line.startsWith('EXECUTION_OUTPUT='));

describe('inheritEnv: false', () => {
  test('the env program sees only the given variables (and EXECUTION_OUTPUT)', async () => {
    const engine = createEngine();
    const result = await engine.run({
      command: exec('env'),
      inheritEnv: false,
      env: { ONLY_ONE: '1', ONLY_TWO: 'two words' },
    });
    expect(withoutOutputVar(result.stdout).sort()).toEqual(['ONLY_ONE=1', 'ONLY_TWO=two words']);
    expect(result.stdout).toMatch(/^EXECUTION_OUTPUT=/m);
  });

  test('node sees only the given variable names (and EXECUTION_OUTPUT)', async () => {
    const engine = createEngine();
    const result = await engine.run({
      command: exec(process.execPath, [
        '-e',
        'process.stdout.write(JSON.stringify(Object.keys(process.env)))',
      ]),
      inheritEnv: false,
      env: { ONLY_THIS: 'yes' },
    });
    expect(JSON.parse(result.stdout).sort()).toEqual(['EXECUTION_OUTPUT', 'ONLY_THIS']);
  });

  test('without env the child gets an empty environment but for EXECUTION_OUTPUT', async () => {
    const engine = createEngine();
    const result = await engine.run({ command: exec('env'), inheritEnv: false });
    expect(withoutOutputVar(result.stdout)).toEqual([]);
  });

  test('inheritEnv: true is the same as leaving it out', async () => {
    const engine = createEngine();
    const result = await engine.run({ command: printEnv, inheritEnv: true, env: { [GIVEN]: 'g' } });
    expect(JSON.parse(result.stdout)).toMatchObject({ [INHERITED]: 'from the parent', [GIVEN]: 'g' });
  });
});

describe('programs are looked up on the request PATH', () => {
  test('a program found only on the request PATH runs', async () => {
    expect(process.env.PATH?.split(':')).not.toContain(TEST_SCRIPTS_DIR);
    const engine = createEngine();
    const result = await engine.run({
      command: exec('print-argv.js', ['found via request PATH']),
      env: { PATH: pathWith(TEST_SCRIPTS_DIR) },
    });
    expect(jsonLines(result.stdout)).toEqual(['found via request PATH']);
    expect(result.command).toEqual({ file: 'print-argv.js', args: ['found via request PATH'] });
  });

  test('the same program is not found without the request PATH', async () => {
    const engine = createEngine();
    const id = await engine.execute({ command: exec('print-argv.js', ['x']) });
    const result = await engine.waitForCompletion(id);
    expect(result.status).toBe('failed');
    expect(result.error?.code).toBe('SPAWN_FAILED');
  });

  test('the request PATH wins over the engine PATH for a program on both', async () => {
    const engine = createEngine();
    const result = await engine.run({
      command: exec('aws', ['--version']),
      env: { PATH: pathWith(FAKE_AWS_DIR) },
    });
    // The fake prints its arguments as JSON lines; a real aws would print "aws-cli/...".
    expect(jsonLines(result.stdout)).toEqual(['--version']);
  });

  test('with inheritEnv: false the given PATH is the only one searched', async () => {
    const engine = createEngine();
    const result = await engine.run({
      command: awsCli('sts', 'get-caller-identity'),
      inheritEnv: false,
      env: { PATH: FAKE_AWS_ONLY_PATH },
    });
    expect(jsonLines(result.stdout)).toEqual(['sts', 'get-caller-identity']);
  });
});
