import { describe, expect, test } from 'vitest';
import { awsCli, type Command, exec, script, shell } from '../../src/index.js';

describe('builders produce the spec objects', () => {
  test.each<[string, Command, Command]>([
    ['shell with the default shell', shell('ls | wc -l'), { type: 'shell', command: 'ls | wc -l' }],
    [
      'shell with a custom shell',
      shell('echo hi', 'bash'),
      { type: 'shell', command: 'echo hi', shell: 'bash' },
    ],
    ['exec without args', exec('ls'), { type: 'exec', program: 'ls' }],
    ['exec with args', exec('git', ['log', '-1']), { type: 'exec', program: 'git', args: ['log', '-1'] }],
    ['exec with empty args', exec('ls', []), { type: 'exec', program: 'ls', args: [] }],
    ['script without options', script('./run.sh'), { type: 'script', path: './run.sh' }],
    ['script with empty options', script('./run.sh', {}), { type: 'script', path: './run.sh' }],
    [
      'script with an interpreter',
      script('job.rb', { interpreter: 'ruby' }),
      { type: 'script', path: 'job.rb', interpreter: 'ruby' },
    ],
    [
      'script with args',
      script('./run.sh', { args: ['--full'] }),
      { type: 'script', path: './run.sh', args: ['--full'] },
    ],
    [
      'script with an interpreter and args',
      script('a.py', { interpreter: 'python3', args: ['-v'] }),
      { type: 'script', path: 'a.py', interpreter: 'python3', args: ['-v'] },
    ],
    [
      'awsCli with service and operation only',
      awsCli('s3', 'ls'),
      { type: 'awsCli', service: 's3', operation: 'ls' },
    ],
    [
      'awsCli with args',
      awsCli('s3', 'cp', ['a', 'b']),
      { type: 'awsCli', service: 's3', operation: 'cp', args: ['a', 'b'] },
    ],
    [
      'awsCli with every option',
      awsCli('s3api', 'list-buckets', [], {
        region: 'eu-west-1',
        profile: 'dev',
        output: 'json',
        endpointUrl: 'http://localhost:4566',
      }),
      {
        type: 'awsCli',
        service: 's3api',
        operation: 'list-buckets',
        args: [],
        region: 'eu-west-1',
        profile: 'dev',
        output: 'json',
        endpointUrl: 'http://localhost:4566',
      },
    ],
    [
      'awsCli with one option and no args',
      awsCli('sts', 'get-caller-identity', undefined, { output: 'text' }),
      { type: 'awsCli', service: 'sts', operation: 'get-caller-identity', output: 'text' },
    ],
  ])('%s', (_name, built, expected) => {
    // toStrictEqual: an option left out is absent, not present as `undefined`.
    expect(built).toStrictEqual(expected);
  });

  test('builders make plain objects that survive JSON', () => {
    const commands = [
      shell('x'),
      exec('x', ['y']),
      script('x', { args: ['y'] }),
      awsCli('s', 'o', [], { region: 'r' }),
    ];
    for (const command of commands) {
      expect(Object.getPrototypeOf(command)).toBe(Object.prototype);
      expect(JSON.parse(JSON.stringify(command))).toStrictEqual(command);
    }
  });
});
