import { type ParseArgsConfig, parseArgs } from 'node:util';

/** Where a command writes. */
export interface CommandIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

/** One subcommand of the CLI. */
export interface Command {
  /** The synopsis, e.g. `status --journal DIR [--json]`. */
  usage: string;
  /** One line saying what it does. */
  summary: string;
  /** Its options, one per line, for `--help` and bad arguments. */
  help: string;
  /** Runs it; resolves with the exit code. @throws UsageError for bad arguments. */
  run(args: readonly string[], io: CommandIo): Promise<number>;
}

/** Bad arguments: the CLI prints the message and the usage, and exits 2. */
export class UsageError extends Error {}

/** `parseArgs`, strict, with its errors as {@link UsageError}. */
export function parseOptions<T extends NonNullable<ParseArgsConfig['options']>>(
  args: readonly string[],
  options: T,
): ReturnType<typeof parseArgs<{ options: T; strict: true; allowPositionals: false }>>['values'] {
  try {
    return parseArgs({ args: [...args], options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}
