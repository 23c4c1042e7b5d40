import type { AwsCliCommand, AwsCliOutput, ExecCommand, ScriptCommand, ShellCommand } from '../types.js';

/**
 * A command run through a shell, so pipes, globs and `&&` work.
 * @param command The command line, e.g. `'ls -l | wc -l'`.
 * @param shellProgram The shell. @default '/bin/sh' ('cmd.exe' on Windows)
 * @example
 * ```ts
 * await engine.run({ command: shell('echo $HOME && ls | head -3') });
 * ```
 */
export function shell(command: string, shellProgram?: string): ShellCommand {
  return shellProgram === undefined
    ? { type: 'shell', command }
    : { type: 'shell', command, shell: shellProgram };
}

/**
 * A program run directly with its arguments: no shell, so nothing needs quoting.
 * @example
 * ```ts
 * await engine.run({ command: exec('git', ['log', '--oneline', '-5']) });
 * ```
 */
export function exec(program: string, args?: readonly string[]): ExecCommand {
  return args === undefined ? { type: 'exec', program } : { type: 'exec', program, args };
}

/**
 * A script file. The interpreter comes from `interpreter`, else the shebang, else the extension.
 * @example
 * ```ts
 * await engine.run({ command: script('./scripts/backup.sh', { args: ['--full'] }) });
 * ```
 */
export function script(
  path: string,
  options: { interpreter?: string | undefined; args?: readonly string[] | undefined } = {},
): ScriptCommand {
  const command: ScriptCommand = { type: 'script', path };
  if (options.interpreter !== undefined) command.interpreter = options.interpreter;
  if (options.args !== undefined) command.args = options.args;
  return command;
}

/** Options of {@link awsCli}. */
export interface AwsCliOptions {
  region?: string | undefined;
  profile?: string | undefined;
  /** With `'json'` the result carries the parsed stdout as `json`. */
  output?: AwsCliOutput | undefined;
  endpointUrl?: string | undefined;
}

/**
 * An AWS CLI call: `aws <service> <operation> ...args [--region R] [--profile P] [--output O] [--endpoint-url U]`,
 * never through a shell.
 * @param service A service name such as `'s3api'`: lowercase letters, digits and `-`, not starting
 * with `-`, so it can never be an option (else `InvalidRequestError` naming `command.service`).
 * @param operation An operation name such as `'list-buckets'`, same rule (`command.operation`).
 * @param args Passed to the CLI verbatim, as its options and arguments: an option in them such as
 * `--endpoint-url=...` or `--profile` takes effect like any other. The caller owns `args`; do not
 * fill them from untrusted input without checking what they contain.
 * @example
 * ```ts
 * const result = await engine.run({ command: awsCli('s3api', 'list-buckets', [], { output: 'json' }) });
 * console.log(result.json);
 * ```
 */
export function awsCli(
  service: string,
  operation: string,
  args?: readonly string[],
  options: AwsCliOptions = {},
): AwsCliCommand {
  const command: AwsCliCommand = { type: 'awsCli', service, operation };
  if (args !== undefined) command.args = args;
  if (options.region !== undefined) command.region = options.region;
  if (options.profile !== undefined) command.profile = options.profile;
  if (options.output !== undefined) command.output = options.output;
  if (options.endpointUrl !== undefined) command.endpointUrl = options.endpointUrl;
  return command;
}
