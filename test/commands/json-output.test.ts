import { describe, expect, test } from 'vitest';
import { hasJsonOutput, parseAwsJson } from '../../src/commands/aws-cli.js';
import { awsCli, type Command, exec, script, shell } from '../../src/index.js';

describe('which output is JSON', () => {
  test.each<[string, Command, boolean]>([
    ["awsCli with output 'json'", awsCli('s3api', 'list-buckets', [], { output: 'json' }), true],
    ["awsCli with output 'text'", awsCli('s3api', 'list-buckets', [], { output: 'text' }), false],
    ['awsCli without output (the CLI decides)', awsCli('s3api', 'list-buckets'), false],
    ['exec printing JSON', exec('echo', ['{}']), false],
    ['shell', shell('echo {}'), false],
    ['script', script('print-json.js'), false],
  ])('%s: %s', (_name, command, expected) => {
    expect(hasJsonOutput(command)).toBe(expected);
  });
});

describe('parseAwsJson', () => {
  test.each<[string, string, unknown]>([
    ['an object', '{"Buckets":[]}\n', { Buckets: [] }],
    ['an array', '[1, 2]', [1, 2]],
    ['a string', '"x"', 'x'],
    ['null', 'null', null],
  ])('parses %s', (_name, stdout, expected) => {
    expect(parseAwsJson(stdout)).toEqual(expected);
  });

  test.each([
    ['empty output', ''],
    ['only whitespace', ' \n\t'],
    ['text', 'An error occurred'],
    ['truncated JSON', '{"Buckets": ['],
  ])('gives undefined for %s', (_name, stdout) => {
    expect(parseAwsJson(stdout)).toBeUndefined();
  });
});
