import { afterEach, describe, expect, test } from 'vitest';
import { awsCli, InvalidRequestError } from '../../src/index.js';
import { fakeAwsEnv, jsonLines } from '../helpers/fake-aws.js';
import { createEngine, rejectionOf, shutDownTrackedEngines } from '../helpers/tracked-engine.js';

afterEach(shutDownTrackedEngines);

describe('awsCli service and operation are names, never options; args are verbatim', () => {
  test.each([
    ['an option', '--endpoint-url=http://127.0.0.1:9', 'command.service'],
    ['a bare flag', '--debug', 'command.service'],
    ['a leading dash', '-s3', 'command.service'],
    ['a space', 's3 ls', 'command.service'],
    ['uppercase', 'S3', 'command.service'],
    ['shell syntax', '$(id)', 'command.service'],
  ])(
    'a service with %s is an InvalidRequestError naming the field, and nothing runs',
    async (_, service, field) => {
      const engine = createEngine();
      const error = await rejectionOf(engine.execute({ command: awsCli(service, 'ls'), env: fakeAwsEnv() }));
      expect(error).toBeInstanceOf(InvalidRequestError);
      expect(error).toMatchObject({ field, message: expect.stringContaining('lowercase letters') });
      expect(engine.list()).toEqual([]);
    },
  );

  test.each([
    ['an option', '--endpoint-url=http://127.0.0.1:9'],
    ['a bare flag', '--no-verify-ssl'],
    ['an underscore', 'list_buckets'],
    ['a slash', 'ls/x'],
    ['a newline', 'ls\n'],
  ])('an operation with %s is an InvalidRequestError naming command.operation', async (_, operation) => {
    const engine = createEngine();
    const error = await rejectionOf(engine.execute({ command: awsCli('s3', operation), env: fakeAwsEnv() }));
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect(error).toMatchObject({ field: 'command.operation' });
  });

  test('service and operation names with digits and dashes run', async () => {
    const engine = createEngine();
    const result = await engine.run({
      command: awsCli('route53', 'get-hosted-zone-count'),
      env: fakeAwsEnv(),
    });
    expect(jsonLines(result.stdout)).toEqual(['route53', 'get-hosted-zone-count']);
  });

  test("args are the caller's: an option in args is passed to the CLI verbatim", async () => {
    const engine = createEngine();
    const args = ['--endpoint-url=http://127.0.0.1:9', '--debug'];
    const result = await engine.run({ command: awsCli('s3', 'ls', args), env: fakeAwsEnv() });
    expect(jsonLines(result.stdout)).toEqual(['s3', 'ls', ...args]);
  });
});
