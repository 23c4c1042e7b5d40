import { InvalidRequestError } from '../errors.js';
import type { AwsCliCommand, AwsCliOutput, Command } from '../types.js';
import { checkArgs, checkOptionalString, checkString } from '../utils/checks.js';
import { describeValue } from '../utils/describe-value.js';
import type { CommandSnapshot } from './resolved-command.js';

const OUTPUTS = new Set(['json', 'text', 'table', 'yaml']);

/** A service or operation name: lowercase letters, digits and `-`, not starting with `-` (never an option). */
const NAME = /^[a-z0-9][a-z0-9-]*$/;

/** Throws unless `value` is a service or operation name such as `s3api` or `list-buckets`. */
function checkName(field: string, value: unknown): string {
  const name = checkString(field, value, { nonEmpty: true });
  if (!NAME.test(name)) {
    throw new InvalidRequestError(
      field,
      `Expected \`${field}\` to be a name of lowercase letters, digits and '-' (like 's3api' or 'list-buckets'), got ${describeValue(name)}`,
    );
  }
  return name;
}

/**
 * `aws <service> <operation> ...args [--region R] [--profile P] [--output O] [--endpoint-url U]`,
 * never a shell. `service` and `operation` must be names, so neither can smuggle in an option;
 * `args` are passed on verbatim. Reads each field once.
 */
export function resolveAwsCli(command: AwsCliCommand): CommandSnapshot {
  const service = checkName('command.service', command.service);
  const operation = checkName('command.operation', command.operation);
  const givenArgs = command.args;
  const extra = checkArgs('command.args', givenArgs);
  const region = checkOptionalString('command.region', command.region);
  const profile = checkOptionalString('command.profile', command.profile);
  const output: unknown = command.output;
  const endpointUrl = checkOptionalString('command.endpointUrl', command.endpointUrl);
  if (output !== undefined && (typeof output !== 'string' || !OUTPUTS.has(output))) {
    throw new InvalidRequestError(
      'command.output',
      `Expected \`command.output\` to be one of 'json', 'text', 'table', 'yaml', got ${describeValue(output)}`,
    );
  }
  const snapshot: AwsCliCommand = { type: 'awsCli', service, operation };
  if (givenArgs !== undefined) snapshot.args = [...extra];
  const args = [service, operation, ...extra];
  if (region !== undefined) {
    snapshot.region = region;
    args.push('--region', region);
  }
  if (profile !== undefined) {
    snapshot.profile = profile;
    args.push('--profile', profile);
  }
  if (output !== undefined) {
    snapshot.output = output as AwsCliOutput;
    args.push('--output', output as AwsCliOutput);
  }
  if (endpointUrl !== undefined) {
    snapshot.endpointUrl = endpointUrl;
    args.push('--endpoint-url', endpointUrl);
  }
  return { command: snapshot, spawn: { file: 'aws', args, verbatim: false } };
}

/**
 * True when a command's stdout is a JSON document to parse into `result.json` (with
 * {@link parseAwsJson}): an `awsCli` command with `output: 'json'`. The one place that decides it.
 */
export function hasJsonOutput(command: Command): boolean {
  return command.type === 'awsCli' && command.output === 'json';
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
