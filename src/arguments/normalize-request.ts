import { stat } from 'node:fs/promises';
import type { ResolvedCommand } from '../commands/resolved-command.js';
import { resolveScript, withElectronRunAsNode } from '../commands/script.js';
import type { ExecutionConfig } from '../config.js';
import { InvalidRequestError } from '../errors.js';
import type { ProgressParser } from '../progress/progress-types.js';
import type { Command, ExecutionRequest, PipelineRef } from '../types.js';
import { describeValue } from '../utils/describe-value.js';
import type { AdmissionFields } from './admission-fields.js';
import { readRequest } from './read-request.js';
import type { RetryPolicy } from './retry-options.js';

/**
 * A validated request, ready to spawn. Every field of the caller's request (and of its command,
 * env, args and metadata) was read exactly once; everything here is built from those values.
 */
export interface NormalizedRequest {
  id: string | undefined;
  /** A plain-data copy of the command as read. */
  command: Command;
  spawn: ResolvedCommand;
  cwd: string | undefined;
  /** `undefined` means "exactly process.env" (no copy made). */
  env: NodeJS.ProcessEnv | undefined;
  input: string | Uint8Array | undefined;
  /** `'pipe'`: stdin stays open for `writeInput`/`closeInput`; `'ignore'` (default): `/dev/null` or `input`. */
  stdin: 'ignore' | 'pipe';
  /** 0: no timeout. */
  timeoutMs: number;
  /** This execution's first signal and its grace before SIGKILL (request, else config). */
  killSignal: NodeJS.Signals;
  killGraceMs: number;
  /** Aborting it cancels the execution. */
  signal: AbortSignal | undefined;
  /** The JSON-safe deep copy of the request's metadata. */
  metadata: Record<string, unknown> | undefined;
  /** The parser of `progress` (a preset resolved to its function); `undefined`: no parsing. */
  progress: ProgressParser | undefined;
  /** The retry policy with its defaults; `undefined`: one attempt. */
  retry?: RetryPolicy | undefined;
  /** Priority, group and queue timeout. */
  admission: AdmissionFields;
  /**
   * The request as read, in plain data (fields absent when the caller left them out, `env` only
   * the request's own variables): what the journal records. Never the caller's object.
   */
  request: ExecutionRequest;
  /** The schedule whose run this is (set by the engine for `engine.schedule` runs, never by a caller). */
  schedule?: string | undefined;
  /** The pipeline step this execution runs (set by the engine for pipeline steps, never by a caller). */
  pipeline?: PipelineRef | undefined;
}

async function checkCwd(cwd: string | undefined): Promise<string | undefined> {
  if (cwd === undefined) return undefined;
  const stats = await stat(cwd).catch(() => undefined);
  if (stats === undefined || !stats.isDirectory()) {
    throw new InvalidRequestError(
      'cwd',
      `Expected \`cwd\` to be an existing directory, got ${describeValue(cwd)}`,
    );
  }
  return cwd;
}

/**
 * Validates every field of a request, reading each exactly once ({@link readRequest}), then checks
 * what needs the file system: that `cwd` is a directory, and which program runs a script (its
 * shebang). The result is built only from the values read, so a getter or a later change by the
 * caller cannot make what runs differ from what was validated.
 * @throws InvalidRequestError naming the first invalid field.
 */
export async function normalizeRequest(
  request: unknown,
  config: ExecutionConfig,
): Promise<NormalizedRequest> {
  const read = readRequest(request, config);
  const cwd = await checkCwd(read.cwd);
  const { command, spawn } =
    read.command.spawn === undefined ? await resolveScript(read.command.command, cwd) : read.command;
  return {
    id: read.id,
    command,
    spawn,
    cwd,
    env: withElectronRunAsNode(spawn.file, read.env.effective),
    input: read.input,
    stdin: read.stdin,
    timeoutMs: read.timeoutMs,
    killSignal: read.killSignal,
    killGraceMs: read.killGraceMs,
    signal: read.signal,
    metadata: read.metadata,
    progress: read.progress.parser,
    retry: read.retry?.policy,
    admission: read.admission,
    request: read.request,
  };
}
