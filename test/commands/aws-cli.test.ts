import { afterEach, describe, expect, test } from 'vitest';
import { type AwsCliOptions, awsCli, type CompletedEvent } from '../../src/index.js';
import { FAKE_AWS_ONLY_PATH, fakeAwsEnv, jsonLines } from '../helpers/fake-aws.js';
import { createEngine, shutDownTrackedEngines } from '../helpers/tracked-engine.js';

afterEach(shutDownTrackedEngines);

describe('awsCli argv', () => {
  test.each<[string, readonly string[] | undefined, AwsCliOptions, string[]]>([
    ['no args and no options', undefined, {}, []],
    ['args only', ['--bucket', 'my-bucket'], {}, ['--bucket', 'my-bucket']],
    ['region only', [], { region: 'eu-west-1' }, ['--region', 'eu-west-1']],
    ['profile only', [], { profile: 'dev' }, ['--profile', 'dev']],
    ['output only', [], { output: 'text' }, ['--output', 'text']],
    [
      'endpoint only',
      [],
      { endpointUrl: 'http://localhost:4566' },
      ['--endpoint-url', 'http://localhost:4566'],
    ],
    [
      'every option, after the args',
      ['--bucket', 'b'],
      { region: 'us-east-1', profile: 'prod', output: 'table', endpointUrl: 'http://127.0.0.1:9000' },
      [
        '--bucket',
        'b',
        '--region',
        'us-east-1',
        '--profile',
        'prod',
        '--output',
        'table',
        '--endpoint-url',
        'http://127.0.0.1:9000',
      ],
    ],
    [
      'every option given in reverse order, still in the spec order',
      [],
      { endpointUrl: 'http://e', output: 'yaml', profile: 'p', region: 'r' },
      ['--region', 'r', '--profile', 'p', '--output', 'yaml', '--endpoint-url', 'http://e'],
    ],
    [
      'region and endpoint, skipping the others',
      [],
      { endpointUrl: 'http://e', region: 'r' },
      ['--region', 'r', '--endpoint-url', 'http://e'],
    ],
  ])('with %s', async (_name, args, options, tail) => {
    const engine = createEngine();
    const result = await engine.run({
      command: awsCli('s3api', 'list-objects', args, options),
      env: fakeAwsEnv(),
    });
    const argv = ['s3api', 'list-objects', ...tail];
    expect(jsonLines(result.stdout)).toEqual(argv);
    expect(result.command).toEqual({ file: 'aws', args: argv });
  });

  test('arguments with shell metacharacters arrive unchanged: no shell is involved', async () => {
    const engine = createEngine();
    const args = [
      's3://bucket/key with spaces',
      '$(echo injected)',
      '`echo injected`',
      '; echo injected',
      '| cat',
      '&& echo injected',
      '*',
      '$HOME',
      '"quoted"',
      "'single'",
      '> redirected.txt',
      '',
    ];
    const result = await engine.run({
      command: awsCli('s3', 'cp', args, { region: '$REGION', profile: 'a b' }),
      env: fakeAwsEnv({ REGION: 'expanded' }),
    });
    expect(jsonLines(result.stdout)).toEqual([
      's3',
      'cp',
      ...args,
      '--region',
      '$REGION',
      '--profile',
      'a b',
    ]);
  });

  test('a failing aws call completes with its exit code and run rejects', async () => {
    const engine = createEngine();
    const id = await engine.execute({
      command: awsCli('s3', 'ls'),
      env: fakeAwsEnv({ FAKE_AWS_EXIT: '255' }),
    });
    const result = await engine.waitForCompletion(id);
    expect(result).toMatchObject({ status: 'completed', exitCode: 255, success: false });
    await expect(
      engine.run({ command: awsCli('s3', 'ls'), env: fakeAwsEnv({ FAKE_AWS_EXIT: '1' }) }),
    ).rejects.toMatchObject({ code: 'COMMAND_FAILED', result: { exitCode: 1 } });
  });

  test('aws not on the request PATH fails to spawn', async () => {
    const engine = createEngine();
    const id = await engine.execute({
      command: awsCli('s3', 'ls'),
      inheritEnv: false,
      env: { PATH: '/nonexistent' },
    });
    const result = await engine.waitForCompletion(id);
    expect(result).toMatchObject({ status: 'failed', error: { code: 'SPAWN_FAILED' } });
    expect(result.error?.message).toContain('aws s3 ls');
  });
});

describe('awsCli json', () => {
  test("output 'json' keeps the JSON document as stdout", async () => {
    const engine = createEngine();
    const result = await engine.run({
      command: awsCli('s3api', 'list-buckets', [], { output: 'json' }),
      env: fakeAwsEnv(),
    });
    expect(JSON.parse(result.stdout)).toEqual({
      fakeAws: true,
      argv: ['s3api', 'list-buckets', '--output', 'json'],
    });
  });

  // src/run/outcome.ts reads the command from record.request, which engine.ts cleared on spawn.
  test("output 'json' gives result.json the parsed stdout, on the result and the completed event", async () => {
    const engine = createEngine();
    const completed = new Promise<CompletedEvent>((resolve) => engine.once('completed', resolve));
    const id = await engine.execute({
      command: awsCli('ec2', 'describe-instances', ['--max-items', '5'], {
        output: 'json',
        region: 'eu-west-1',
      }),
      inheritEnv: false,
      env: { PATH: FAKE_AWS_ONLY_PATH },
    });
    const result = await engine.waitForCompletion(id);
    const expected = {
      fakeAws: true,
      argv: ['ec2', 'describe-instances', '--max-items', '5', '--region', 'eu-west-1', '--output', 'json'],
    };
    expect(result.json).toEqual(expected);
    expect(engine.getResult(id)?.json).toEqual(expected);
    expect(engine.getExecution(id).json).toEqual(expected);
    expect((await completed).result.json).toEqual(expected);
  });

  test.each([
    ['unparsable stdout', 'not json {'],
    ['truncated JSON', '{"Buckets": ['],
    ['empty stdout', ''],
  ])("output 'json' with %s leaves json undefined", async (_name, stdout) => {
    const engine = createEngine();
    const result = await engine.run({
      command: awsCli('s3api', 'list-buckets', [], { output: 'json' }),
      env: fakeAwsEnv({ FAKE_AWS_STDOUT: stdout }),
    });
    expect(result.status).toBe('completed');
    expect(result.json).toBeUndefined();
    expect(result.stdout).toBe(stdout);
  });

  test.each([
    ['text', { output: 'text' }],
    ['table', { output: 'table' }],
    ['yaml', { output: 'yaml' }],
    ['no output option', {}],
  ] satisfies [string, AwsCliOptions][])(
    'output %s gives no json field, even when stdout is JSON',
    async (_name, options) => {
      const engine = createEngine();
      const result = await engine.run({
        command: awsCli('s3api', 'list-buckets', [], options),
        env: fakeAwsEnv({ FAKE_AWS_STDOUT: '{"Buckets": []}\n' }),
      });
      expect(result.stdout).toBe('{"Buckets": []}');
      expect(result).not.toHaveProperty('json');
    },
  );
});
