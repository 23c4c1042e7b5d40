import { serveCommand } from './serve-command.js';
import { readVersion, UsageError, usage } from './usage.js';

/** Subcommands by name: each takes its arguments and resolves with the exit code. */
const COMMANDS: Record<string, (args: string[]) => Promise<number>> = {
  serve: serveCommand,
};

/** Runs the `execution-engine` command with `argv` (without node and the script). */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage());
    return 0;
  }
  if (name === '--version' || name === '-v') {
    process.stdout.write(`${readVersion()}\n`);
    return 0;
  }
  const command = name === undefined ? undefined : COMMANDS[name];
  try {
    if (command === undefined)
      throw new UsageError(name === undefined ? 'No command given' : `Unknown command \`${name}\``);
    return await command(rest);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`execution-engine: ${error.message}\n\n${usage()}`);
    return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`execution-engine: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
