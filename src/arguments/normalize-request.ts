import { stat } from 'node:fs/promises';
import { resolveAwsCli } from '../commands/aws-cli.js';
import { resolveExec } from '../commands/exec.js';
import type { ResolvedCommand } from '../commands/resolved-command.js';
import { resolveScript } from '../commands/script.js';
import { resolveShell } from '../commands/shell.js';
import type { ExecutionConfig } from '../config.js';
import { describeValue } from '../config.js';
import { InvalidRequestError } from '../errors.js';
import type { Command, ExecutionRequest } from '../types.js';
import { checkString, isPlainObject } from './checks.js';
import { isValidExecutionId } from './execution-id.js';

/** A validated request, ready to spawn. */
export interface NormalizedRequest {
  id: string | undefined;
  command: Command;
  spawn: ResolvedCommand;
  cwd: string | undefined;
  /** `undefined` means "exactly process.env" (no copy made). */
  env: NodeJS.ProcessEnv | undefined;
  input: string | Uint8Array | undefined;
  timeoutMs: number;
  metadata: Record<string, unknown> | undefined;
}

async function checkCwd(cwd: unknown): Promise<string | undefined> {
  if (cwd === undefined) return undefined;
  const path = checkString('cwd', cwd, { nonEmpty: true });
  const stats = await stat(path).catch(() => undefined);
  if (stats === undefined || !stats.isDirectory()) {
    throw new InvalidRequestError(
      'cwd',
      `Expected \`cwd\` to be an existing directory, got ${describeValue(path)}`,
    );
  }
  return path;
}

function checkEnv(env: unknown, inheritEnv: unknown): NodeJS.ProcessEnv | undefined {
  if (inheritEnv !== undefined && typeof inheritEnv !== 'boolean') {
    throw new InvalidRequestError(
      'inheritEnv',
      `Expected \`inheritEnv\` to be a boolean, got ${describeValue(inheritEnv)}`,
    );
  }
  if (env === undefined) return inheritEnv === false ? {} : undefined;
  if (!isPlainObject(env)) {
    throw new InvalidRequestError(
      'env',
      `Expected \`env\` to be an object of strings, got ${describeValue(env)}`,
    );
  }
  for (const [key, value] of Object.entries(env)) {
    if (key.length === 0 || key.includes('=') || key.includes('\0')) {
      throw new InvalidRequestError(
        `env.${key}`,
        `Expected environment variable names without \`=\` or NUL, got ${describeValue(key)}`,
      );
    }
    checkString(`env.${key}`, value);
  }
  return inheritEnv === false
    ? { ...(env as Record<string, string>) }
    : { ...process.env, ...(env as Record<string, string>) };
}

function checkTimeout(timeoutMs: unknown, config: ExecutionConfig): number {
  if (timeoutMs === undefined) return config.defaultTimeoutMs;
  if (typeof timeoutMs !== 'number' || !Number.isInteger(timeoutMs) || timeoutMs <= 0) {
    throw new InvalidRequestError(
      'timeoutMs',
      `Expected \`timeoutMs\` to be a positive integer, got ${describeValue(timeoutMs)}`,
    );
  }
  if (timeoutMs > config.maxTimeoutMs) {
    throw new InvalidRequestError(
      'timeoutMs',
      `Expected \`timeoutMs\` to be at most maxTimeoutMs (${config.maxTimeoutMs}), got ${describeValue(timeoutMs)}`,
    );
  }
  return timeoutMs;
}

function resolveCommand(
  command: unknown,
  cwd: string | undefined,
): ResolvedCommand | Promise<ResolvedCommand> {
  if (!isPlainObject(command)) {
    throw new InvalidRequestError(
      'command',
      `Expected \`command\` to be an object, got ${describeValue(command)}`,
    );
  }
  const typed = command as unknown as Command;
  switch (typed.type) {
    case 'shell':
      return resolveShell(typed);
    case 'exec':
      return resolveExec(typed);
    case 'script':
      return resolveScript(typed, cwd);
    case 'awsCli':
      return resolveAwsCli(typed);
    default:
      throw new InvalidRequestError(
        'command.type',
        `Expected \`command.type\` to be 'shell', 'exec', 'script' or 'awsCli', got ${describeValue((command as { type?: unknown }).type)}`,
      );
  }
}

/**
 * Validates every field of a request once and resolves what will be spawned.
 * @throws InvalidRequestError naming the first invalid field.
 */
export async function normalizeRequest(
  request: unknown,
  config: ExecutionConfig,
): Promise<NormalizedRequest> {
  if (!isPlainObject(request)) {
    throw new InvalidRequestError(
      'request',
      `Expected the request to be an object, got ${describeValue(request)}`,
    );
  }
  const { id, command, cwd, env, inheritEnv, input, timeoutMs, metadata } =
    request as unknown as ExecutionRequest;
  if (id !== undefined && !isValidExecutionId(id)) {
    throw new InvalidRequestError(
      'id',
      `Expected \`id\` to be 1-128 characters of [A-Za-z0-9._-], got ${describeValue(id)}`,
    );
  }
  if (input !== undefined && typeof input !== 'string' && !(input instanceof Uint8Array)) {
    throw new InvalidRequestError(
      'input',
      `Expected \`input\` to be a string or Uint8Array, got ${describeValue(input)}`,
    );
  }
  if (metadata !== undefined && !isPlainObject(metadata)) {
    throw new InvalidRequestError(
      'metadata',
      `Expected \`metadata\` to be a plain object, got ${describeValue(metadata)}`,
    );
  }
  const normalizedTimeout = checkTimeout(timeoutMs, config);
  const normalizedEnv = checkEnv(env, inheritEnv);
  const normalizedCwd = await checkCwd(cwd);
  const spawn = await resolveCommand(command, normalizedCwd);
  return {
    id,
    command: command as Command,
    spawn,
    cwd: normalizedCwd,
    env: normalizedEnv,
    input,
    timeoutMs: normalizedTimeout,
    metadata: metadata === undefined ? undefined : copyMetadata(metadata),
  };
}

/** A deep copy, so later changes by the caller do not show in results and events. */
function copyMetadata(metadata: Record<string, unknown>): Record<string, unknown> {
  try {
    return structuredClone(metadata);
  } catch {
    return { ...metadata }; // holds something uncloneable (a function): copy the top level
  }
}
