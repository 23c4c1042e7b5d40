import { checkArgs, checkOptionalString, checkString } from '../arguments/checks.js';
import { describeValue } from '../config.js';
import { InvalidRequestError } from '../errors.js';
import type { AwsCliCommand } from '../types.js';
import type { ResolvedCommand } from './resolved-command.js';

const OUTPUTS = new Set(['json', 'text', 'table', 'yaml']);

/** `aws <service> <operation> ...args [--region R] [--profile P] [--output O] [--endpoint-url U]`, never a shell. */
export function resolveAwsCli(command: AwsCliCommand): ResolvedCommand {
  const args = [
    checkString('command.service', command.service, { nonEmpty: true }),
    checkString('command.operation', command.operation, { nonEmpty: true }),
    ...checkArgs('command.args', command.args),
  ];
  const region = checkOptionalString('command.region', command.region);
  const profile = checkOptionalString('command.profile', command.profile);
  const endpointUrl = checkOptionalString('command.endpointUrl', command.endpointUrl);
  if (command.output !== undefined && !OUTPUTS.has(command.output)) {
    throw new InvalidRequestError(
      'command.output',
      `Expected \`command.output\` to be one of 'json', 'text', 'table', 'yaml', got ${describeValue(command.output)}`,
    );
  }
  if (region !== undefined) args.push('--region', region);
  if (profile !== undefined) args.push('--profile', profile);
  if (command.output !== undefined) args.push('--output', command.output);
  if (endpointUrl !== undefined) args.push('--endpoint-url', endpointUrl);
  return { file: 'aws', args, verbatim: false };
}

/** The parsed stdout of an `output: 'json'` call, or `undefined` when it does not parse. */
export function parseAwsJson(stdout: string): unknown {
  if (stdout.trim() === '') return undefined;
  try {
    return JSON.parse(stdout);
  } catch {
    return undefined;
  }
}
